"""Chinese throughout: every page a district administrator or a street officer can open, and the API's error
answers, show no untranslated English under zh-hans.

The pages are found by walking the URL patterns (those without parameters, and those whose `<int:…_id>` the small
fixture has: an incident and its report), so a new page is checked the day it is added. Visible text and the
attributes people read (title, placeholder, aria-label, alt) are checked; scripts, styles and <code> are not.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Words that are not English prose: codes, units, standards, formats and proper names.
ALLOWED = {
    "api",
    "cap",
    "gb",
    "gbt",
    "json",
    "xml",
    "csv",
    "xlsx",
    "excel",
    "word",
    "docx",
    "pdf",
    "png",
    "svg",
    "atom",
    "rss",
    "utc",
    "iso",
    "http",
    "https",
    "url",
    "qr",
    "mqtt",
    "modbus",
    "tcp",
    "osm",
    "openstreetmap",
    "pbf",
    "leaflet",
    "yingji",
    "totp",
    "mfa",
    "sms",
    "ppm",
    "lel",
    "km",
    "kmh",
    "mm",
    "hpa",
    "kpa",
    "mpa",
    "dbm",
    "kg",
    "ch",
    "co",
    "nh",
    "so",
    "no",
    "fwi",
    "ffmc",
    "dmc",
    "dc",
    "isi",
    "bui",
    "id",
    "ids",
    "ip",
    "uscc",
    "lec",
    "ls",
    "mes",
    "lcd",
    "gis",
    "wgs",
    "cgcs",
    "epsg",
    "ok",
    "vs",
    "etc",
    "cn",
    "www",
    "gov",
    "huangshi",
    "huangshigang",
    "hubei",
    "wuhan",
    "yangtze",
    "sqlite",
    "postgresql",
    "django",
    "sha",
    "hmac",
    "csrf",
    "ssr",
    "aqi",
    "pm",
    "chromium",
    "ios",
    "android",
    "wechat",
    "pg",
    "dump",
    "english",
    "geojson",
    "featurecollection",
    "polygon",
    "multipolygon",
    "shapefile",
    "ogr",
    "webp",
    "jpeg",
    "jpg",
    "heic",
}
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout", "/logout", "/healthz", "/metrics")
SKIP_SUFFIXES = (".xlsx", ".xml", ".docx", ".json", ".csv", ".js", ".png", ".svg", ".pbf", ".ics", ".txt")
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "code", "pre", "kbd", "samp"):
            self.skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre", "kbd", "samp") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def english_in(text: str, data_words: set[str]) -> list[str]:
    """English words in `text` that are neither allowed codes nor words of the fixture's own data."""
    found = []
    text = re.sub(r"`[^`]*`", " ", text)  # `name`: a property or command, quoted as code
    text = re.sub(r"\S*[/_=@]\S*", " ", text)  # paths, codes and addresses: /api/v1/fire-danger, ch4_lel
    for word in WORD.findall(text):
        lower = word.lower().strip("'")
        if lower in ALLOWED or lower in data_words or word.isupper():  # acronyms: CAP, LEL, ...
            continue
        found.append(word)
    return found


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes.extend(_routes(pattern, prefix + route))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + route)
    return routes


def _fill(route: str, ids: dict[str, int]) -> str | None:
    """The route with each `<int:name>` replaced by the fixture's object of that name; None if one is missing."""
    missing = False

    def one(match: re.Match) -> str:
        nonlocal missing
        converter, name = match.group(1), match.group(2)
        if converter != "int" or name not in ids:
            missing = True
            return ""
        return str(ids[name])

    filled = re.sub(r"<(?:(\w+):)?(\w+)>", one, route)
    return None if missing else filled


def pages(ids: dict[str, int] | None = None) -> list[str]:
    """Every page's path: those without parameters, and those whose `<int:…_id>` parameters the fixture has."""
    found = []
    for route in _routes(get_resolver()):
        if "(" in route or "\\" in route or "[" in route:
            continue
        route = _fill(route, ids or {})
        if route is None:
            continue
        path = "/" + route.lstrip("^").rstrip("$")
        if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
            continue
        found.append(path)
    return sorted(set(found))


def _data_words(cast) -> set[str]:
    from yingji.core.models import OrgUnit, User

    words = set()
    for value in [*User.objects.values_list("username", flat=True), *OrgUnit.objects.values_list("code", flat=True)]:
        words.update(w.lower() for w in WORD.findall(value))
    return words


def _objects(cast) -> dict[str, int]:
    """A few records, so that detail pages open too: an incident in street A with its initial report."""
    from datetime import timedelta

    from django.utils import timezone

    from yingji.incidents import services
    from yingji.incidents.models import IncidentType

    leak = IncidentType.objects.get(code="hazchem_leak")
    incident = services.incident_create(
        by=cast.duty,
        title="甲化工储罐泄漏",
        category=leak.category,
        type=leak,
        occurred_at=timezone.now() - timedelta(minutes=20),
        lat=30.215,
        lon=115.085,
        enterprise=cast.enterprise_x,
        reporter_name="张三",
        reporter_phone="13800000000",
    )
    return {"incident_id": incident.pk, "report_id": incident.reports.first().pk}


@pytest.mark.parametrize("who", ["admin", "street_officer"])
def test_every_page_is_in_chinese(cast, client, who):
    ids = _objects(cast)
    client.force_login(getattr(cast, who))
    data_words = _data_words(cast)
    problems, opened = [], 0
    for path in pages(ids):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        opened += 1
        words = english_in(visible_text(response.content.decode()), data_words)
        if words:
            problems.append(f"{path}: {sorted(set(words))[:15]}")
    assert opened >= 20, f"only {opened} pages opened: the walk over the URL patterns is broken"
    assert not problems, "untranslated English (wrap it in gettext and fill the zh_Hans msgstr):\n" + "\n".join(
        problems
    )


def _error_bodies(client, headers) -> list[tuple[str, dict]]:
    answers = []
    for method, path, body in [
        ("get", "/api/v1/incidents/999999999", None),  # 404
        ("post", "/api/v1/incidents", {}),  # 422/400: missing fields
        ("post", "/api/v1/incidents", {"title": "x", "category": "natural_disaster", "type": "hazchem_leak"}),
        ("get", "/api/v1/incidents?page=-1", None),
        ("post", "/api/v1/teams", {"code": ""}),
        ("post", "/api/v1/warnings", {}),
        ("post", "/api/v1/orgs", {"code": "X", "name": "x", "kind": "street", "lat": 95, "lon": 115}),
    ]:
        if method == "get":
            response = client.get(path, headers=headers)
        else:
            response = client.post(path, body, content_type="application/json", headers=headers)
        if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
            answers.append((f"{method.upper()} {path} → {response.status_code}", response.json()))
    return answers


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _readable(body: dict) -> list[str]:
    """The parts of an error answer people read: `detail` and the field messages (not codes or `allowed` states)."""
    detail = re.sub(r"^[\w.]+: ", "", str(body.get("detail", "")))  # "category: …" names the field by its code
    return [detail, *_strings(body.get("errors"))]


@pytest.mark.parametrize("who", ["duty", "street_officer", "outsider"])
def test_api_error_answers_are_in_chinese(cast, api, bearer, who):
    answers = _error_bodies(api, {**bearer(getattr(cast, who)), "Accept-Language": "zh-hans"})
    assert {a.split("→ ")[1][0] for a, _ in answers} >= {"4"}
    data_words = _data_words(cast)
    problems = []
    for where, body in answers:
        words = english_in(" ".join(_readable(body)), data_words)
        if words:
            problems.append(f"{where}: {body}")
    assert not problems, "untranslated English in API errors:\n" + "\n".join(problems)
