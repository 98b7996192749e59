"""The registry pages: index, create and edit with Django forms, the stock form, and the alerts page."""

from yingji.resources.models import Shelter, StockBalance, Team


def test_index_lists_every_registry_with_counts(stock, cast, client):
    client.force_login(cast.street_officer)
    page = client.get("/resources/").content.decode()
    for title in ("救援队伍", "专家", "大型装备", "物资目录", "物资储备库", "避难场所"):
        assert title in page


def test_street_officer_creates_a_shelter_through_the_form(cast, client):
    client.force_login(cast.street_officer)
    response = client.post(
        "/resources/shelters/new/",
        {
            "code": "SH-P",
            "name": "桂花广场",
            "kind": "outdoor",
            "shelter_class": "emergency",
            "org": cast.street_a.pk,
            "effective_area_m2": 6000,
            "facilities": ["water", "signs"],
            "occupancy": 0,
        },
    )
    shelter = Shelter.objects.get(code="SH-P")
    assert response.status_code == 302 and response["Location"] == f"/resources/shelters/{shelter.pk}/"
    assert shelter.capacity == 12000 and shelter.facilities == ["water", "signs"]
    # Another street is not among the owners the form offers.
    refused = client.post("/resources/shelters/new/", {"code": "SH-Q", "name": "x", "org": cast.street_b.pk})
    assert refused.status_code == 200 and not Shelter.objects.filter(code="SH-Q").exists()


def test_team_form_shows_service_errors_on_the_field(stock, cast, client):
    client.force_login(cast.street_officer)
    team = stock.team_a
    data = {
        "code": "TM-A", "name": team.org.name, "kind": "water", "parent": cast.street_a.pk, "status": "standby",
        "headcount": 5, "on_duty": 9,
    }  # fmt: skip
    page = client.post(f"/resources/teams/{team.pk}/edit/", data).content.decode()
    assert "不能超过总人数" in page
    assert Team.objects.get(pk=team.pk).on_duty == 8


def test_warehouse_page_receives_and_refuses_an_overdraw(stock, cast, client):
    client.force_login(cast.street_officer)
    url = f"/resources/warehouses/{stock.warehouse_a.pk}/stock/"
    client.post(url, {"action": "in", "item": stock.tent.pk, "quantity": 4, "reason": "采购"})
    page = client.post(
        url, {"action": "out", "item": stock.tent.pk, "quantity": 5, "reason": "调用"}, follow=True
    ).content.decode()
    assert "可用库存仅 4 顶" in page
    assert StockBalance.objects.get(warehouse=stock.warehouse_a, item=stock.tent).quantity == 4


def test_members_are_added_and_expiring_certificates_listed(stock, cast, client):
    client.force_login(cast.street_officer)
    client.post(
        f"/resources/teams/{stock.team_a.pk}/members/",
        {"name": "刘洋", "certificate": "潜水员证", "certificate_expiry": "2000-01-01"},
    )
    assert "刘洋" in client.get(f"/resources/teams/{stock.team_a.pk}/").content.decode()
    alerts = client.get("/resources/alerts/").content.decode()
    assert "刘洋" in alerts and "潜水员证" in alerts
