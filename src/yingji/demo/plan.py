"""The demo district as a plan: every org unit and user to load, generated from a seed without the database.

The district, bureau and street names and codes are real; street and community areas, communities,
enterprises, teams, addresses, contacts and phone numbers are generated and illustrative.
"""

import itertools
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from yingji.core.geo import district_geometry
from yingji.core.models import Industry, OrgKind
from yingji.core.roles import Role
from yingji.demo import data
from yingji.demo.geo import (
    Polygonal,
    label_point,
    largest_part,
    random_points,
    split_communities,
    split_streets,
    to_geojson,
)


@dataclass(frozen=True)
class UnitPlan:
    """One org unit to create; `parent_code` names a unit earlier in the plan."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    lat: float | None = None
    lon: float | None = None
    area: dict[str, Any] | None = None
    address: str = ""
    contact: str = ""
    phone: str = ""
    industry: str = ""
    illustrative: bool = True

    def org_fields(self) -> dict[str, Any]:
        """The keyword arguments of `org_create`, less the parent."""
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "area": self.area,
            "address": self.address,
            "contact": self.contact,
            "phone": self.phone,
            "industry": self.industry,
            "illustrative": self.illustrative,
        }


@dataclass(frozen=True)
class UserPlan:
    username: str
    role: str
    org_code: str
    last_name: str
    first_name: str
    is_superuser: bool = False


@dataclass(frozen=True)
class DemoPlan:
    units: list[UnitPlan]  # parents before their children
    users: list[UserPlan]


class _Faker:
    """Names, addresses and phone numbers drawn from the seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self) -> tuple[str, str]:
        return self.rng.choice(data.SURNAMES), self.rng.choice(data.GIVEN_NAMES)

    def contact(self) -> str:
        return "".join(self.person())

    def address(self, road: str = "") -> str:
        return f"{data.ADDRESS_PREFIX}{road or self.rng.choice(data.ROADS)}{self.rng.randint(1, 288)}号"

    def phone(self) -> str:
        return f"{data.PHONE_AREA_CODE}-{self.rng.randint(6200000, 6899999)}"


def demo_plan(*, seed: int) -> DemoPlan:
    """Generate the whole demo district from `seed`; the same seed gives the same plan."""
    rng = random.Random(seed)
    fake = _Faker(rng)
    district = district_geometry()
    lat, lon = label_point(largest_part(district))
    units = [
        UnitPlan(
            code=data.DISTRICT_CODE,
            name=data.DISTRICT_NAME,
            kind=OrgKind.DISTRICT,
            parent_code=None,
            lat=lat,
            lon=lon,
            illustrative=False,
        ),
        UnitPlan(data.BUREAU_CODE, data.BUREAU_NAME, OrgKind.BUREAU, data.DISTRICT_CODE, illustrative=False),
        *(UnitPlan(code, name, OrgKind.DEPARTMENT, data.BUREAU_CODE) for code, name in data.DEPARTMENTS),
    ]

    anchors = [s.anchor for s in data.STREETS if s.anchor is not None]
    # split_streets gives the anchored streets' areas first, then the detached parcels.
    order = [s for s in data.STREETS if s.anchor is not None] + [s for s in data.STREETS if s.anchor is None]
    areas = split_streets(district, anchors, rng)
    street_areas = {street.code: area for street, area in zip(order, areas, strict=True)}

    community_names = iter(rng.sample(data.COMMUNITY_NAME_PARTS, sum(s.communities for s in data.STREETS)))
    cells: dict[str, list[tuple[str, Polygonal]]] = {}
    for street in data.STREETS:
        area = street_areas[street.code]
        lat, lon = label_point(area)
        units.append(
            UnitPlan(
                code=street.code,
                name=street.name,
                kind=OrgKind.STREET,
                parent_code=data.DISTRICT_CODE,
                lat=lat,
                lon=lon,
                area=to_geojson(area),
                illustrative=False,
            )
        )
        cells[street.code] = []
        for number, cell in enumerate(split_communities(area, street.communities, rng), start=1):
            code = f"{street.code}{number:03d}"
            lat, lon = label_point(cell)
            units.append(
                UnitPlan(
                    code=code,
                    name=f"{next(community_names)}社区",
                    kind=OrgKind.COMMUNITY,
                    parent_code=street.code,
                    lat=lat,
                    lon=lon,
                    area=to_geojson(cell),
                    address=fake.address(),
                    contact=fake.contact(),
                    phone=fake.phone(),
                )
            )
            cells[street.code].append((code, cell))

    enterprises = _enterprises(rng, fake, cells)
    units += enterprises
    for team in data.TEAMS:
        home = data.HOME_STREET_CODE if team.parent_code == data.DISTRICT_CODE else team.parent_code
        ((lon, lat),) = random_points(street_areas[home], rng, 1)
        units.append(
            UnitPlan(
                code=team.code,
                name=team.name,
                kind=OrgKind.TEAM,
                parent_code=team.parent_code,
                lat=lat,
                lon=lon,
                address=fake.address(),
                contact=fake.contact(),
                phone=fake.phone(),
            )
        )

    home_enterprise = next(e.code for e in enterprises if e.code.startswith(f"E{data.HOME_STREET_CODE}"))
    staff = [
        ("admin", Role.ADMIN, data.BUREAU_CODE),
        # 三权分立: the security and the audit administrator are other people than the system administrator.
        ("security", Role.SECURITY_ADMIN, data.BUREAU_CODE),
        ("auditor", Role.AUDIT_ADMIN, data.BUREAU_CODE),
        ("duty", Role.DUTY_OFFICER, data.DUTY_DEPARTMENT_CODE),
        ("commander", Role.COMMANDER, data.BUREAU_CODE),
        ("inspector", Role.INSPECTOR, data.ENFORCEMENT_DEPARTMENT_CODE),
        ("street", Role.STREET_OFFICER, data.HOME_STREET_CODE),
        ("enterprise", Role.ENTERPRISE_MANAGER, home_enterprise),
        ("team", Role.TEAM_LEADER, data.DISTRICT_TEAM_CODE),
    ]
    users = [
        UserPlan(username, role, org_code, *fake.person(), is_superuser=role == Role.ADMIN)
        for username, role, org_code in staff
    ]
    return DemoPlan(units=units, users=users)


def _enterprises(rng: random.Random, fake: _Faker, cells: dict[str, list[tuple[str, Polygonal]]]) -> list[UnitPlan]:
    """Enterprises of every industry, dealt round the streets, each in a community of its street."""
    industries = [industry for industry, count in data.ENTERPRISE_COUNTS.items() for _ in range(count)]
    rng.shuffle(industries)
    # Wharves and shipping firms need the river.
    riverside = [s.code for s in data.STREETS if s.riverside]
    everywhere = [s.code for s in data.STREETS]
    riverside_streets, all_streets = itertools.cycle(riverside), itertools.cycle(everywhere)
    per_street: dict[str, int] = defaultdict(int)
    names: set[str] = set()
    result = []
    for industry in industries:
        street = next(riverside_streets if industry == Industry.PORT else all_streets)
        name = road = ""
        while not name or name in names:
            # Filling stations, shops and wharves are named after the road they stand on.
            road = rng.choice(data.ROADS)
            name = rng.choice(data.ENTERPRISE_PATTERNS[industry]).format(trade=rng.choice(data.TRADE_NAMES), road=road)
        names.add(name)
        per_street[street] += 1
        # Weigh by area, or the street's smallest community would get as many firms as its largest.
        ((community, cell),) = rng.choices(cells[street], weights=[c.area for _, c in cells[street]])
        ((lon, lat),) = random_points(cell, rng, 1)
        result.append(
            UnitPlan(
                code=f"E{street}{per_street[street]:03d}",
                name=name,
                kind=OrgKind.ENTERPRISE,
                parent_code=community,
                lat=lat,
                lon=lon,
                address=fake.address(road),
                contact=fake.contact(),
                phone=fake.phone(),
                industry=industry,
            )
        )
    return result
