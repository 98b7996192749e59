"""Driving speed of a road: its OpenStreetMap `maxspeed` when that can be read, else a default per road class.

Default speeds follow the design speeds of Chinese urban roads in CJJ 37-2012 城市道路工程设计规范, §3.2
(expressway 100/80/60, arterial 60/50/40, sub-arterial 50/40/30, branch road 40/30/20 km/h), taken at the middle
value and lowered for ramps, residential and service roads, since the graph has no turn or signal delays.
Zone limits ("CN:urban") follow each country's law; for China the Road Traffic Safety Law Implementing
Regulations, art. 45 (urban road with one lane per direction 50 km/h, highway 70 km/h) and art. 78 (expressway
120 km/h). The tables are data: change them here, and re-import a network for them to take effect.
"""

import re

# km/h per road class when `maxspeed` is absent or unreadable.
CLASS_SPEED_KMH: dict[str, float] = {
    "motorway": 80,
    "motorway_link": 40,
    "trunk": 60,
    "trunk_link": 40,
    "primary": 50,
    "primary_link": 30,
    "secondary": 40,
    "secondary_link": 30,
    "tertiary": 30,
    "tertiary_link": 25,
    "unclassified": 30,
    "residential": 25,
    "living_street": 10,
    "service": 15,
    "road": 25,
    "bridge": 40,
}

# km/h of implicit limits written as "CC:zone" (OSM `maxspeed` zone values).
ZONE_SPEED_KMH: dict[str, float] = {
    "CN:urban": 50,
    "CN:rural": 70,
    "CN:motorway": 120,
    "FI:urban": 50,
    "FI:rural": 80,
    "FI:motorway": 120,
    "DE:urban": 50,
    "DE:rural": 100,
    "DE:motorway": 130,
}
# A zone of an unlisted country falls back to the kind of zone.
ZONE_KIND_KMH: dict[str, float] = {"urban": 50, "rural": 80, "motorway": 110, "living_street": 10, "walk": 5}

MPH_KMH = 1.609344
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$", re.IGNORECASE)


def parse_maxspeed(value: str | None) -> float | None:
    """km/h of an OSM `maxspeed` value ("50", "30 mph", "CN:urban", "walk", "60;40"), or None if unreadable."""
    if not value:
        return None
    speeds = [speed for part in value.split(";") if (speed := _parse_one(part.strip())) is not None]
    # Several values (per lane or time of day): the lowest is the one a fire engine can count on.
    return min(speeds) if speeds else None


def _parse_one(value: str) -> float | None:
    if match := _NUMBER.match(value):
        number = float(match.group(1))
        unit = (match.group(2) or "km/h").lower()
        speed = number * MPH_KMH if unit == "mph" else number * 1.852 if unit == "knots" else number
        return speed if 0 < speed < 400 else None
    if value in ZONE_SPEED_KMH:
        return ZONE_SPEED_KMH[value]
    kind = value.split(":", 1)[-1]
    return ZONE_KIND_KMH.get(kind)


def road_speed_kmh(road_class: str, maxspeed: str | None = None) -> float:
    """The speed used for travel times on a road of this class with this `maxspeed` tag."""
    return parse_maxspeed(maxspeed) or CLASS_SPEED_KMH.get(road_class, CLASS_SPEED_KMH["road"])


def travel_time_s(length_m: float, speed_kmh: float) -> float:
    """Seconds to drive `length_m` at `speed_kmh`; never zero, since the graph treats zero as no edge."""
    return max(length_m / (speed_kmh / 3.6), 0.01)
