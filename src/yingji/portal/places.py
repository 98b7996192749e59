"""Where a typed address lies, from the platform's own data (offline: no geocoding service is asked).

The public shelter finder takes an address or a place name as people write it ("天津路12号", "胜阳港社区附近",
"黄石港区胜阳港街道天津路", "市体育馆避难场所"). It is matched against what the platform knows by name and position:
shelters (name and address), communities and streets (name and address), the named roads of the active road network
and the place names of its base map. A name that contains the typed text matches, and so does a name the typed
address contains; the more specific kind of place wins a tie (a shelter or a road over a street).
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgKind, OrgUnit
from yingji.resources.models import Shelter
from yingji.routing.models import BaseFeature, BaseKind, RoadEdge, RoadNetwork

MAX_QUERY = 60
# How much a kind of place says about where someone is: a tie goes to the more specific one.
SPECIFICITY = {"shelter": 4, "road": 3, "place": 2, "community": 2, "street": 0}
KIND_LABELS = {
    "shelter": pgettext_lazy("place kind", "shelter"),
    "road": pgettext_lazy("place kind", "road"),
    "place": pgettext_lazy("place kind", "place name"),
    "community": pgettext_lazy("place kind", "community"),
    "street": pgettext_lazy("place kind", "street"),
}


@dataclass(frozen=True)
class Place:
    """A named place found for a typed address, with the point a walk starts from."""

    name: str
    kind: str
    lat: float
    lon: float
    score: int

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Text as compared: full-width forms folded (NFKC), case folded, spaces and punctuation dropped."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def score(query: str, name: str, address: str = "", *, kind: str = "street") -> int:
    """How well a place of `kind` called `name` (at `address`) answers the normalised `query`; 0 is no match."""
    name, address = normalise(name), normalise(address)
    if not query or not name:
        return 0
    bonus = SPECIFICITY[kind]
    if query == name:
        return 100 + bonus
    if name.startswith(query):
        return 90 + bonus
    if query in name:
        return 80 + bonus
    # The typed address holds the name ("天津路12号" holds 天津路); a longer name is a surer match. One character
    # ("路") matches too much to mean anything.
    if len(name) >= 2 and name in query:
        return 60 + bonus + min(len(name), 10)
    if address and query in address:
        return 50 + bonus
    if address and len(address) >= 4 and address in query:
        return 40 + bonus + min(len(address), 10)
    return 0


def _units(query: str) -> Iterable[Place]:
    rows = OrgUnit.objects.filter(
        kind__in=[OrgKind.COMMUNITY, OrgKind.STREET], active=True, lat__isnull=False, lon__isnull=False
    ).values_list("name", "address", "kind", "lat", "lon")
    for name, address, kind, lat, lon in rows:
        if lat is not None and lon is not None and (points := score(query, name, address, kind=kind)):
            yield Place(name, kind, lat, lon, points)


def _shelters(query: str) -> Iterable[Place]:
    rows = Shelter.objects.filter(lat__isnull=False, lon__isnull=False).values_list("name", "address", "lat", "lon")
    for name, address, lat, lon in rows:
        if lat is not None and lon is not None and (points := score(query, name, address, kind="shelter")):
            yield Place(name, "shelter", lat, lon, points)


def _base_places(network: RoadNetwork, query: str) -> Iterable[Place]:
    rows = BaseFeature.objects.filter(network=network, kind=BaseKind.PLACE).exclude(name="")
    for name, geometry in rows.values_list("name", "geometry"):
        if geometry.get("type") != "Point" or not (points := score(query, name, kind="place")):
            continue
        lon, lat = geometry["coordinates"][:2]
        yield Place(name, "place", float(lat), float(lon), points)


def _roads(network: RoadNetwork, query: str, limit: int) -> Iterable[Place]:
    # Distinct names only: the model's ordering (network, pk) would make every edge a row of its own.
    edges = RoadEdge.objects.filter(network=network).exclude(name="")
    names = edges.order_by("name").values_list("name", flat=True).distinct()
    scored = sorted(((score(query, n, kind="road"), n) for n in names), key=lambda pair: (-pair[0], pair[1]))
    matched = {name: points for points, name in scored[:limit] if points}
    if not matched:
        return
    # A road is where its junctions are: the one nearest the middle of them all stands for it.
    ends: dict[str, list[tuple[float, float]]] = defaultdict(list)
    rows = RoadEdge.objects.filter(network=network, name__in=matched).values_list(
        "name", "source__lat", "source__lon", "target__lat", "target__lon"
    )
    for name, lat1, lon1, lat2, lon2 in rows:
        ends[name] += [(lat1, lon1), (lat2, lon2)]
    for name, points in ends.items():
        mid_lat = sum(p[0] for p in points) / len(points)
        mid_lon = sum(p[1] for p in points) / len(points)
        lat, lon = min(points, key=lambda p: (p[0] - mid_lat) ** 2 + (p[1] - mid_lon) ** 2)
        yield Place(name, "road", lat, lon, matched[name])


def place_search(q: str, *, limit: int = 6) -> list[Place]:
    """Places that answer a typed address, best first (at most `limit`; one per name and kind)."""
    query = normalise((q or "")[:MAX_QUERY])
    if not query:
        return []
    found = [*_units(query), *_shelters(query)]
    network = RoadNetwork.objects.filter(active=True).first()
    if network is not None:
        found += [*_roads(network, query, limit), *_base_places(network, query)]
    best: dict[tuple[str, str], Place] = {}
    for place in found:
        key = (place.name, place.kind)
        if key not in best or place.score > best[key].score:
            best[key] = place
    ranked = sorted(best.values(), key=lambda p: (-p.score, -len(normalise(p.name)), p.name))
    return ranked[:limit]
