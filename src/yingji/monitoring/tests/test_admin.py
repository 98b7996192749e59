"""The admin edits rules through the services (validated, audited)."""

from yingji.core.models import AuditEntry
from yingji.monitoring.models import Rule


def test_admin_adds_a_rule_through_the_service(plant, cast, client):
    client.force_login(cast.admin)
    data = {
        "name": "氨气浓度",
        "kind": "threshold",
        "device_type": "toxic_gas",
        "metric": "nh3_ppm",
        "direction": "above",
        "yellow": "30",
        "red": "150",
        "deadband": "2",
        "level": "yellow",
        "window_s": "300",
        "offline_minutes": "30",
        "active": "on",
        "suggests_warning": "",
    }
    response = client.post("/admin/monitoring/rule/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rule.objects.get(name="氨气浓度").red == 150
    assert AuditEntry.objects.filter(action="rule.create", summary__contains="氨气浓度").exists()
    for page in (
        "rule",
        "device",
        "alarm",
        "deadletter",
        "firedangerday",
        "warningsuggestion",
        "hydrostation",
        "rainstormcriterion",
        "floodresponserule",
        "modbusendpoint",
    ):
        assert client.get(f"/admin/monitoring/{page}/").status_code == 200


def test_admin_saves_a_station_through_its_service(plant, cast, client):
    client.force_login(cast.admin)
    data = {
        "device": plant.river.pk,
        "kind": "river",
        "serves": [cast.street_b.pk],
        "max_gap_minutes": "20",
        "fortify_level": "22.8",
        "warning_level": "24.5",
        "guarantee_level": "",
        "level_deadband": "0.05",
        "depth_threshold_m": "",
        "responsible_name": "",
        "responsible_phone": "",
    }
    response = client.post("/admin/monitoring/hydrostation/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    station = plant.river.station
    assert station.rule.yellow == 24.5 and list(station.serves.all()) == [cast.street_b]
    assert AuditEntry.objects.filter(action="monitoring.station.save").exists()
