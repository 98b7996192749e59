"""The common cast plus two forest areas (street A's and street B's), each around a weather station, and a
helper that sets a station's fire danger for a day."""

from dataclasses import dataclass
from datetime import date

import pytest

from yingji.conftest import PASSWORD, Cast
from yingji.core.models import User
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.forest import services
from yingji.forest.models import ForestArea
from yingji.monitoring.metrics import DeviceType
from yingji.monitoring.models import Device, FireDangerDay

# Around the two real wooded hills of the district, where the demo's weather stations stand.
TUANCHENG = {
    "type": "Polygon",
    "coordinates": [[[115.015, 30.225], [115.035, 30.225], [115.035, 30.240], [115.015, 30.240], [115.015, 30.225]]],
}
HUANGJING = {
    "type": "Polygon",
    "coordinates": [[[115.055, 30.210], [115.075, 30.210], [115.075, 30.222], [115.055, 30.222], [115.055, 30.210]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[115.02, 30.23], [115.03, 30.24], [115.03, 30.23], [115.02, 30.24], [115.02, 30.23]]],
}
BAND_NAMES = {1: "低火险", 2: "较低火险", 3: "较高火险", 4: "高火险", 5: "极高火险"}


@dataclass
class Forest:
    tuancheng: ForestArea
    huangjing: ForestArea
    ranger: User
    stations: dict[str, Device]


@pytest.fixture
def forest(cast: Cast) -> Forest:
    ranger = user_create(
        by=None,
        username="t_ranger",
        password=PASSWORD,
        org=cast.street_a,
        roles=[Role.STREET_OFFICER],
        phone="13900000001",
    )
    tuancheng = services.forest_area_create(
        by=None, org=cast.street_a, code="FA-TCS", name="团城山林区", geometry=TUANCHENG
    )
    huangjing = services.forest_area_create(
        by=None, org=cast.street_b, code="FA-HJS", name="黄荆山林区", geometry=HUANGJING, patrols_per_day=2
    )
    services.chain_member_add(
        by=None, area=tuancheng, level="street", name="甲林长", phone="13900000002", user=cast.street_officer
    )
    services.chain_member_add(
        by=None, area=tuancheng, level="ranger", name="护林员甲", phone="13900000001", user=ranger
    )
    services.chain_member_add(by=None, area=tuancheng, level="community", name="社区林长", phone="13900000003")
    stations = {
        code: Device.objects.create(
            code=code, name=name, type=DeviceType.WEATHER_STATION, org=cast.bureau, lat=lat, lon=lon
        )
        for code, name, lat, lon in [
            ("AWS-TCS", "团城山林区气象站", 30.232, 115.025),
            ("AWS-HJS", "黄荆山林区气象站", 30.216, 115.065),
        ]
    }
    return Forest(tuancheng=tuancheng, huangjing=huangjing, ranger=ranger, stations=stations)


def set_danger(station: Device, day: date, level: int, fwi: float | None = None) -> FireDangerDay:
    """A station's computed fire danger for a day (what monitoring's daily job writes)."""
    fwi = fwi if fwi is not None else [0, 2, 7, 15, 25, 40][level]
    return FireDangerDay.objects.update_or_create(
        device=station,
        date=day,
        defaults={
            "org": station.org,
            "temp_c": 25,
            "rh_pct": 30,
            "wind_kmh": 15,
            "rain_mm": 0,
            "ffmc": 90,
            "dmc": 30,
            "dc": 200,
            "isi": 8,
            "bui": 40,
            "fwi": fwi,
            "level": level,
            "level_name": BAND_NAMES[level],
        },
    )[0]
