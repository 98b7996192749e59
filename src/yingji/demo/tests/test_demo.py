"""The demo district: its generated geometry, and loading it idempotently through the core services."""

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from yingji.core.errors import ValidationFailed
from yingji.core.geo import district_geometry, in_district
from yingji.core.models import AuditEntry, OrgKind, OrgUnit, User
from yingji.core.roles import GROUP_NAMES, Role
from yingji.demo import data
from yingji.demo.plan import DemoPlan, demo_plan
from yingji.demo.services import DemoSummary, demo_load

PASSWORD = "Lantern-Harbour-58"
# Snapping to the 6-decimal grid may move an edge by up to half a micro-degree (5 cm).
GRID_TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return demo_plan(seed=2021)


@pytest.fixture
def loaded(db: None) -> DemoSummary:
    return demo_load(password=PASSWORD, out=lambda line: None)


def test_same_seed_gives_same_plan(plan: DemoPlan) -> None:
    again = demo_plan(seed=2021)
    assert [(u.code, u.name, u.lat, u.lon, u.area) for u in again.units] == [
        (u.code, u.name, u.lat, u.lon, u.area) for u in plan.units
    ]
    assert again.users == plan.users
    other = demo_plan(seed=7)
    assert [(u.lat, u.lon) for u in other.units] != [(u.lat, u.lon) for u in plan.units]


def test_plan_lists_parents_before_children(plan: DemoPlan) -> None:
    seen: set[str] = set()
    for unit in plan.units:
        assert unit.parent_code is None or unit.parent_code in seen, unit.code
        seen.add(unit.code)
    assert len(seen) == len(plan.units)


def test_street_areas_cover_the_district_without_overlap(plan: DemoPlan) -> None:
    district = district_geometry()
    streets = [shape(u.area) for u in plan.units if u.kind == OrgKind.STREET]
    assert [u.code for u in plan.units if u.kind == OrgKind.STREET] == [s.code for s in data.STREETS]
    for area in streets:
        assert area.is_valid and area.geom_type in {"Polygon", "MultiPolygon"}
        assert district.buffer(GRID_TOLERANCE).covers(area)
    for i, a in enumerate(streets):
        for b in streets[i + 1 :]:
            assert a.intersection(b).area < 1e-12
    assert sum(a.area for a in streets) == pytest.approx(district.area, rel=1e-4)


def test_communities_split_their_street(plan: DemoPlan) -> None:
    streets = {u.code: shape(u.area) for u in plan.units if u.kind == OrgKind.STREET}
    for code, area in streets.items():
        cells = [shape(u.area) for u in plan.units if u.kind == OrgKind.COMMUNITY and u.parent_code == code]
        assert 4 <= len(cells) <= 8
        assert all(c.is_valid and area.buffer(GRID_TOLERANCE).covers(c) for c in cells)
        assert sum(c.area for c in cells) == pytest.approx(area.area, rel=1e-4)


def test_points_lie_inside_the_district_and_their_own_area(plan: DemoPlan) -> None:
    areas = {u.code: shape(u.area) for u in plan.units if u.area is not None}
    areas[data.DISTRICT_CODE] = district_geometry()
    for unit in plan.units:
        if unit.kind in {OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.ENTERPRISE, OrgKind.TEAM}:
            assert in_district(unit.lat, unit.lon), unit.code
            home = areas.get(unit.code) or areas[unit.parent_code]
            assert home.contains(shape({"type": "Point", "coordinates": [unit.lon, unit.lat]})), unit.code
            assert round(unit.lat, 6) == unit.lat and round(unit.lon, 6) == unit.lon


def test_enterprises_favour_hazards_over_hotels(plan: DemoPlan) -> None:
    enterprises = [u for u in plan.units if u.kind == OrgKind.ENTERPRISE]
    assert len(enterprises) >= 60
    assert len({u.name for u in enterprises}) == len(enterprises)
    industries = [u.industry for u in enterprises]
    for hazard in ("hazchem", "gas", "metallurgy"):
        assert industries.count(hazard) > industries.count("hospitality")
    assert all(u.address and u.contact and u.phone and u.illustrative for u in enterprises)


def test_load_creates_the_district_tree(loaded: DemoSummary) -> None:
    assert loaded.created["enterprise"] == OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).count() >= 60
    root = OrgUnit.objects.get(code="420202")
    assert (root.kind, root.name, root.parent, root.area) == (OrgKind.DISTRICT, "黄石港区", None, None)
    assert in_district(root.lat, root.lon)
    streets = OrgUnit.objects.filter(kind=OrgKind.STREET)
    assert {(s.code, s.name, s.parent_id, s.illustrative) for s in streets} == {
        (s.code, s.name, root.pk, False) for s in data.STREETS
    }
    for unit in OrgUnit.objects.filter(kind__in=[OrgKind.COMMUNITY, OrgKind.ENTERPRISE]):
        assert unit.illustrative and in_district(unit.lat, unit.lon), unit.code
    assert all(u.path.startswith(root.path) for u in OrgUnit.objects.all())


def test_second_load_changes_nothing(loaded: DemoSummary) -> None:
    def state() -> tuple[int, int, int, list[tuple[str, object]]]:
        rows = list(OrgUnit.objects.order_by("code").values_list("code", "updated_at"))
        return OrgUnit.objects.count(), User.objects.count(), AuditEntry.objects.count(), rows

    before = state()
    again = demo_load(password=PASSWORD, out=lambda line: None)
    assert (again.units, again.users) == (0, [])
    assert state() == before


@pytest.mark.parametrize(
    ("username", "role", "org_code"),
    [
        ("admin", Role.ADMIN, data.BUREAU_CODE),
        ("security", Role.SECURITY_ADMIN, data.BUREAU_CODE),
        ("auditor", Role.AUDIT_ADMIN, data.BUREAU_CODE),
        ("duty", Role.DUTY_OFFICER, data.DUTY_DEPARTMENT_CODE),
        ("commander", Role.COMMANDER, data.BUREAU_CODE),
        ("inspector", Role.INSPECTOR, data.ENFORCEMENT_DEPARTMENT_CODE),
        ("street", Role.STREET_OFFICER, "420202006"),
        ("team", Role.TEAM_LEADER, data.DISTRICT_TEAM_CODE),
    ],
)
def test_demo_user_has_role_and_org(loaded: DemoSummary, username: str, role: str, org_code: str) -> None:
    user = User.objects.get(username=username)
    assert [g.name for g in user.groups.all()] == [GROUP_NAMES[role]]
    assert user.org.code == org_code
    assert user.check_password(PASSWORD)
    assert user.is_superuser == (username == "admin")


def test_enterprise_manager_belongs_to_an_enterprise_of_huangshigang_street(loaded: DemoSummary) -> None:
    user = User.objects.get(username="enterprise")
    street = OrgUnit.objects.get(code="420202006")
    assert [g.name for g in user.groups.all()] == [GROUP_NAMES[Role.ENTERPRISE_MANAGER]]
    assert user.org.kind == OrgKind.ENTERPRISE
    assert user.org.path.startswith(street.path)


def test_weak_password_is_refused_and_nothing_is_left(db: None) -> None:
    with pytest.raises(ValidationFailed) as exc:
        demo_load(password="123", out=lambda line: None)
    assert "password" in exc.value.errors
    assert not OrgUnit.objects.exists()
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_command_exits_2_on_weak_password(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YINGJI_DEMO_PASSWORD", "password")
    with pytest.raises(CommandError) as exc:
        call_command("demo", "--seed", "3")
    assert exc.value.returncode == 2
    assert not OrgUnit.objects.exists()


def test_generated_passwords_are_printed_once(db: None) -> None:
    printed: list[str] = []
    demo_load(out=printed.append)
    credentials = [line.split("  ") for line in printed if line.count("  ") == 1]
    assert sorted(username for username, _ in credentials) == [
        "admin",
        "auditor",
        "commander",
        "duty",
        "enterprise",
        "inspector",
        "security",
        "street",
        "team",
    ]
    for username, password in credentials:
        assert User.objects.get(username=username).check_password(password)
    printed.clear()
    demo_load(out=printed.append)
    assert printed == []


def test_yingji_demo_twice_changes_nothing_in_any_app(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.apps import apps

    monkeypatch.setenv("YINGJI_DEMO_PASSWORD", PASSWORD)
    # Unmanaged models are tests' own (no table); every real one is counted.
    models = [
        m
        for m in apps.get_models()
        if m._meta.managed and m._meta.app_label not in {"sessions", "admin", "contenttypes"}
    ]
    call_command("demo")
    first = {m._meta.label: m.objects.count() for m in models}
    assert first["routing.RoadNetwork"] == 1 and first["core.OrgUnit"] > 100
    call_command("demo")
    assert {m._meta.label: m.objects.count() for m in models} == first
