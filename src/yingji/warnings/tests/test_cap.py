"""CAP 1.2: our messages validate against the official schema and parse back equal; the specification's
own examples parse; broken documents are refused with the schema's error and line."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import Client

from yingji.warnings import cap, services
from yingji.warnings.tests.conftest import DATA, HILLS

CST = timezone(timedelta(hours=8))


def full_alert() -> cap.Alert:
    return cap.Alert(
        identifier="420202YJ-20260701-0001",
        sender="yingji@420202",
        sent=datetime(2026, 7, 1, 8, 30, tzinfo=CST),
        msg_type="Update",
        references=["yingji@420202,420202YJ-20260701-0000,2026-07-01T06:00:00+08:00"],
        infos=[
            cap.Info(
                language="zh-CN",
                categories=["Met"],
                event="暴雨",
                urgency="Expected",
                severity="Moderate",
                certainty="Likely",
                event_codes=[(cap.EVENT_CODE_NAME, "rainstorm")],
                effective=datetime(2026, 7, 1, 8, 30, tzinfo=CST),
                expires=datetime(2026, 7, 1, 20, 30, tzinfo=CST),
                sender_name="黄石港区应急管理局",
                headline="暴雨黄色预警",
                description="预计未来6小时降雨量将达50毫米以上。",
                instruction="注意防范城市内涝。",
                parameters=[(cap.LEVEL_PARAMETER_NAME, "yellow")],
                areas=[
                    cap.Area(
                        desc="黄石港街道、胜阳港街道",
                        polygons=[
                            [(30.2, 115.06), (30.2, 115.08), (30.22, 115.08), (30.2, 115.06)],
                            [(30.21, 115.09), (30.21, 115.1), (30.215, 115.1), (30.21, 115.09)],
                        ],
                        geocodes=[("GB/T 10114", "420202006"), ("GB/T 10114", "420202007")],
                    )
                ],
            )
        ],
    )


def test_generated_message_validates_and_parses_back_equal():
    document = cap.build(full_alert())
    cap.validate(document)
    assert cap.parse(document) == full_alert()
    assert b"<sent>2026-07-01T08:30:00+08:00</sent>" in document
    assert b"<polygon>30.2,115.06 30.2,115.08 30.22,115.08 30.2,115.06</polygon>" in document


def test_utc_is_written_minus_zero_and_naive_times_are_refused():
    assert cap.format_time(datetime(2026, 7, 1, 0, 30, 15, 999, tzinfo=UTC)) == "2026-07-01T00:30:15-00:00"
    with pytest.raises(ValueError):
        cap.format_time(datetime(2026, 7, 1))


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("red", ("Immediate", "Extreme", "Likely")),
        ("orange", ("Immediate", "Severe", "Likely")),
        ("yellow", ("Expected", "Moderate", "Likely")),
        ("blue", ("Future", "Minor", "Possible")),
    ],
)
def test_levels_map_to_cap_severity_and_back(level, expected):
    assert cap.LEVEL_CAP[level] == expected
    assert cap.SEVERITY_LEVEL[expected[1]] == level


def test_severe_thunderstorm_example_parses():
    alert = cap.parse((DATA / "a2_severe_thunderstorm_warning.xml").read_bytes())
    info = alert.info()
    assert (alert.identifier, alert.sender, alert.msg_type) == ("KSTO1055887203", "KSTO@NWS.NOAA.GOV", "Alert")
    assert alert.sent == datetime(2003, 6, 17, 14, 57, tzinfo=timezone(timedelta(hours=-7)))
    assert info.categories == ["Met"] and info.severity == "Severe" and cap.level_of(info) == "orange"
    assert info.areas[0].polygons == [
        [(38.47, -120.14), (38.34, -119.95), (38.52, -119.74), (38.62, -119.89), (38.47, -120.14)]
    ]
    assert [v for _n, v in info.areas[0].geocodes] == ["006109", "006009", "006003"]
    assert info.expires == datetime(2003, 6, 17, 16, 0, tzinfo=timezone(timedelta(hours=-7)))


def test_homeland_security_example_parses():
    alert = cap.parse((DATA / "a1_homeland_security_advisory.xml").read_bytes())
    info = alert.info()
    assert info.categories == ["Security"] and info.expires is None
    assert info.parameters == [("HSAS", "ORANGE")]
    assert info.areas[0].desc == "U.S. nationwide and interests worldwide"


def test_missing_required_element_names_the_schema_error_and_line():
    broken = (
        (DATA / "a2_severe_thunderstorm_warning.xml").read_text().replace("  <sender>KSTO@NWS.NOAA.GOV</sender>\n", "")
    )
    with pytest.raises(cap.CapError) as caught:
        cap.validate(broken.encode())
    assert caught.value.line == 4
    assert "sent" in caught.value.message and "sender" in caught.value.message


def test_bad_enumeration_value_is_refused():
    broken = (DATA / "a1_homeland_security_advisory.xml").read_text().replace(">Severe<", ">Dire<")
    with pytest.raises(cap.CapError, match="Dire"):
        cap.validate(broken.encode())


def test_utc_z_suffix_is_not_cap():
    broken = (DATA / "a1_homeland_security_advisory.xml").read_text().replace("14:39:01-05:00", "19:39:01Z")
    with pytest.raises(cap.CapError, match="sent"):
        cap.validate(broken.encode())


def test_malformed_xml_is_refused_with_line():
    with pytest.raises(cap.CapError) as caught:
        cap.validate(
            b'<?xml version="1.0"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">\n<identifier>x</alert>'
        )
    assert caught.value.line == 3 and "well-formed" in caught.value.message


def test_entities_are_not_expanded():
    document = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>"""
    with pytest.raises(cap.CapError) as caught:
        cap.validate(document)
    assert "root:" not in str(caught.value)


def test_multipolygon_rings_are_closed_and_holes_dropped():
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[115.0, 30.0], [115.1, 30.0], [115.1, 30.1]], [[115.05, 30.02], [115.06, 30.02], [115.06, 30.03]]],
            [[[116.0, 31.0], [116.1, 31.0], [116.1, 31.1], [116.0, 31.0]]],
        ],
    }
    rings = cap.rings_from_geojson(geometry)
    assert rings == [
        [(30.0, 115.0), (30.0, 115.1), (30.1, 115.1), (30.0, 115.0)],
        [(31.0, 116.0), (31.0, 116.1), (31.1, 116.1), (31.0, 116.0)],
    ]
    assert cap.rings_from_geojson(cap.geojson_from_rings(rings)) == rings


def test_a_published_warning_carries_its_drawn_polygon_in_the_cap_area(cast, commander, draft):
    """CAP 1.2 §3.3.2.4: <polygon> is lat,lon pairs (WGS 84), at least four, the first and last the same."""
    warning = services.warning_approve(by=commander, warning=draft(area_polygon=HILLS))
    warning = services.warning_publish(by=commander, warning=warning)
    response = Client().get(f"/api/v1/warnings/{warning.pk}/cap")
    assert response.status_code == 200
    root = cap.validate(response.content)
    (polygon,) = root.findall(f"{{{cap.NS}}}info/{{{cap.NS}}}area/{{{cap.NS}}}polygon")
    assert polygon.text == "30.205,115.09 30.205,115.095 30.21,115.095 30.205,115.09"
    (area,) = cap.parse(response.content).infos[0].areas
    assert area.polygons == [[(30.205, 115.09), (30.205, 115.095), (30.21, 115.095), (30.205, 115.09)]]
    assert area.geocodes  # the street stays named too
