"""OASIS Common Alerting Protocol 1.2 (CAP 1.2, OASIS Standard, 1 July 2010): build, validate and parse
alert messages. Pure: values in, values out; validation is against the official schema, kept verbatim in
`data/CAP-v1.2.xsd`.

Our mapping of the four warning levels (Emergency Response Law, art. 42 of the 2007 text) to CAP's
urgency / severity / certainty, as data in LEVEL_CAP:

| level | CAP severity | urgency | certainty |
| red (I) | Extreme | Immediate | Likely |
| orange (II) | Severe | Immediate | Likely |
| yellow (III) | Moderate | Expected | Likely |
| blue (IV) | Minor | Future | Possible |

Messages from elsewhere carry only severity; SEVERITY_LEVEL maps it back (Unknown → blue).
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

NS = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_FILE = Path(__file__).with_name("data") / "CAP-v1.2.xsd"
MIME_TYPE = "application/cap+xml"

LEVEL_CAP: dict[str, tuple[str, str, str]] = {
    "red": ("Immediate", "Extreme", "Likely"),
    "orange": ("Immediate", "Severe", "Likely"),
    "yellow": ("Expected", "Moderate", "Likely"),
    "blue": ("Future", "Minor", "Possible"),
}
SEVERITY_LEVEL: dict[str, str] = {"Extreme": "red", "Severe": "orange", "Moderate": "yellow", "Minor": "blue"}

# CAP 1.2 §3.2.2 categories per event type; the order puts the main category first.
EVENT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "rainstorm": ("Met",),
    "flood": ("Met",),
    "waterlogging": ("Met", "Infra"),
    "typhoon": ("Met",),
    "thunderstorm": ("Met",),
    "lightning": ("Met",),
    "gale": ("Met",),
    "hail": ("Met",),
    "high_temperature": ("Met", "Health"),
    "cold_wave": ("Met",),
    "snowstorm": ("Met", "Transport"),
    "road_icing": ("Met", "Transport"),
    "fog": ("Met", "Transport"),
    "haze": ("Met", "Env"),
    "drought": ("Met", "Env"),
    "forest_fire": ("Fire",),
    "geological_hazard": ("Geo",),
    "earthquake": ("Geo",),
    "hazardous_chemicals": ("Safety", "Env"),
    "gas_leak": ("Safety",),
    "air_pollution": ("Env", "Health"),
    "public_health": ("Health",),
    "other": ("Other",),
}
# Our own codes travel in eventCode and parameter so our messages parse back exactly.
EVENT_CODE_NAME = "yingji:event_type"
LEVEL_PARAMETER_NAME = "yingji:level"

Point = tuple[float, float]  # (lat, lon)
Ring = list[Point]


class CapError(ValueError):
    """A document that is not a valid CAP 1.2 message; `line` where the parser or the schema stopped."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.message = message
        self.line = line


@dataclass
class Area:
    desc: str
    polygons: list[Ring] = field(default_factory=list)
    geocodes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Info:
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    categories: list[str] = field(default_factory=list)
    language: str = "zh-CN"
    instruction: str = ""
    sender_name: str = ""
    effective: datetime | None = None
    expires: datetime | None = None
    web: str = ""
    event_codes: list[tuple[str, str]] = field(default_factory=list)
    parameters: list[tuple[str, str]] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)

    def value_of(self, pairs: str, name: str) -> str | None:
        return next((v for n, v in getattr(self, pairs) if n == name), None)


@dataclass
class Alert:
    identifier: str
    sender: str
    sent: datetime
    status: str = "Actual"
    msg_type: str = "Alert"
    scope: str = "Public"
    references: list[str] = field(default_factory=list)
    note: str = ""
    infos: list[Info] = field(default_factory=list)

    def info(self, language: str = "zh-CN") -> Info | None:
        """The info block in `language`, else the first one."""
        return next((i for i in self.infos if i.language.lower() == language.lower()), None) or next(
            iter(self.infos), None
        )


# --- times and geometry ------------------------------------------------------------------------------------


def format_time(value: datetime) -> str:
    """CAP's dateTime: seconds, an explicit offset and never "Z" (CAP 1.2 §3.3.2)."""
    if value.tzinfo is None:
        raise ValueError("CAP times need a time zone")
    text = value.replace(microsecond=0).isoformat()
    return text.replace("+00:00", "-00:00") if text.endswith("+00:00") else text


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


def reference(*, sender: str, identifier: str, sent: datetime) -> str:
    """One entry of <references>: "sender,identifier,sent"."""
    return f"{sender},{identifier},{format_time(sent)}"


def rings_from_geojson(geometry: dict[str, Any] | None) -> list[Ring]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon as closed (lat, lon) rings. CAP polygons have no
    holes, so inner rings are dropped (the warned area only grows)."""
    if not geometry:
        return []
    kind = geometry.get("type")
    coordinates: Any = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
    if polygons is None:
        raise ValueError(f"expected a Polygon or MultiPolygon, not {kind}")
    rings = []
    for polygon in polygons:
        ring = [(round(float(lat), 6), round(float(lon), 6)) for lon, lat, *_z in polygon[0]]
        if ring and ring[0] != ring[-1]:
            ring.append(ring[0])
        rings.append(ring)
    return rings


def geojson_from_rings(rings: list[Ring]) -> dict[str, Any] | None:
    if not rings:
        return None
    polygons = [[[[lon, lat] for lat, lon in ring]] for ring in rings]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def format_polygon(ring: Ring) -> str:
    return " ".join(f"{_number(lat)},{_number(lon)}" for lat, lon in ring)


def parse_polygon(text: str) -> Ring:
    ring = []
    for pair in text.split():
        lat, lon = pair.split(",")
        ring.append((float(lat), float(lon)))
    return ring


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


# --- build ------------------------------------------------------------------------------------------------


def _add(parent: etree._Element, tag: str, text: str | None) -> etree._Element | None:
    if text is None or text == "":
        return None
    element = etree.SubElement(parent, f"{{{NS}}}{tag}")
    element.text = text
    return element


def _pairs(parent: etree._Element, tag: str, pairs: list[tuple[str, str]]) -> None:
    for name, value in pairs:
        element = etree.SubElement(parent, f"{{{NS}}}{tag}")
        _add(element, "valueName", name)
        _add(element, "value", value)


def build(alert: Alert) -> bytes:
    """The alert as CAP 1.2 XML (UTF-8), elements in the schema's order."""
    root = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", format_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "scope", alert.scope)
    _add(root, "note", alert.note)
    _add(root, "references", " ".join(alert.references))
    for info in alert.infos:
        node = etree.SubElement(root, f"{{{NS}}}info")
        _add(node, "language", info.language)
        for category in info.categories:
            _add(node, "category", category)
        _add(node, "event", info.event)
        _add(node, "urgency", info.urgency)
        _add(node, "severity", info.severity)
        _add(node, "certainty", info.certainty)
        _pairs(node, "eventCode", info.event_codes)
        _add(node, "effective", format_time(info.effective) if info.effective else None)
        _add(node, "expires", format_time(info.expires) if info.expires else None)
        _add(node, "senderName", info.sender_name)
        _add(node, "headline", info.headline)
        _add(node, "description", info.description)
        _add(node, "instruction", info.instruction)
        _add(node, "web", info.web)
        _pairs(node, "parameter", info.parameters)
        for area in info.areas:
            area_node = etree.SubElement(node, f"{{{NS}}}area")
            _add(area_node, "areaDesc", area.desc)
            for ring in area.polygons:
                _add(area_node, "polygon", format_polygon(ring))
            _pairs(area_node, "geocode", area.geocodes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- validate and parse -------------------------------------------------------------------------------------


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def _parser() -> etree.XMLParser:
    # Untrusted input: no entity expansion, no DTDs, no network (XXE and "billion laughs").
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def validate(document: bytes) -> etree._Element:
    """Parse and validate a document against the CAP 1.2 schema; the root element, or CapError naming the
    first problem and its line."""
    try:
        root = etree.fromstring(document, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise CapError(f"not well-formed XML: {exc.msg}", line=exc.lineno) from None
    if root.getroottree().docinfo.doctype:
        # CAP has no DTD; a document declaring one is up to something (entities, external references).
        raise CapError("a document type declaration (DTD) is not allowed", line=1)
    cap_schema = schema()
    try:
        valid = cap_schema.validate(root)
    except etree.XMLSchemaValidateError as exc:
        raise CapError(f"cannot be validated: {exc}") from None
    if not valid:
        error = cap_schema.error_log[0]
        raise CapError(error.message, line=error.line)
    return root


def _text(node: etree._Element, tag: str) -> str:
    found = node.find(f"{{{NS}}}{tag}")
    return (found.text or "").strip() if found is not None else ""


def _texts(node: etree._Element, tag: str) -> list[str]:
    return [(found.text or "").strip() for found in node.findall(f"{{{NS}}}{tag}")]


def _read_pairs(node: etree._Element, tag: str) -> list[tuple[str, str]]:
    return [(_text(found, "valueName"), _text(found, "value")) for found in node.findall(f"{{{NS}}}{tag}")]


def _optional_time(node: etree._Element, tag: str) -> datetime | None:
    text = _text(node, tag)
    return parse_time(text) if text else None


def parse(document: bytes) -> Alert:
    """A validated CAP 1.2 document as an Alert (CapError if it is not valid)."""
    root = validate(document)
    infos = []
    for node in root.findall(f"{{{NS}}}info"):
        areas = []
        for area in node.findall(f"{{{NS}}}area"):
            try:
                polygons = [parse_polygon(text) for text in _texts(area, "polygon")]
            except ValueError:
                raise CapError("polygon is not a list of lat,lon pairs", line=area.sourceline) from None
            areas.append(Area(desc=_text(area, "areaDesc"), polygons=polygons, geocodes=_read_pairs(area, "geocode")))
        infos.append(
            Info(
                language=_text(node, "language") or "en-US",
                categories=_texts(node, "category"),
                event=_text(node, "event"),
                urgency=_text(node, "urgency"),
                severity=_text(node, "severity"),
                certainty=_text(node, "certainty"),
                event_codes=_read_pairs(node, "eventCode"),
                effective=_optional_time(node, "effective"),
                expires=_optional_time(node, "expires"),
                sender_name=_text(node, "senderName"),
                headline=_text(node, "headline"),
                description=_text(node, "description"),
                instruction=_text(node, "instruction"),
                web=_text(node, "web"),
                parameters=_read_pairs(node, "parameter"),
                areas=areas,
            )
        )
    return Alert(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=parse_time(_text(root, "sent")),
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        scope=_text(root, "scope"),
        note=_text(root, "note"),
        references=_text(root, "references").split(),
        infos=infos,
    )


def level_of(info: Info) -> str:
    """Our level of an info block: our own parameter when present, else from CAP severity."""
    return info.value_of("parameters", LEVEL_PARAMETER_NAME) or SEVERITY_LEVEL.get(info.severity, "blue")
