from yingji.core.models import Notification
from yingji.core.notify import notify


def test_notify_reaches_each_active_person_once(cast):
    cast.street_officer.is_active = False
    sent = notify(recipients=[cast.duty, cast.duty, cast.street_officer], title="超时未报", link="/")
    assert [n.recipient for n in sent] == [cast.duty]


def test_inbox_is_private_and_can_be_marked_read(cast, api, bearer):
    notify(recipients=[cast.duty], title="值班提醒")
    notify(recipients=[cast.admin], title="别人的消息")
    headers = bearer(cast.duty)
    body = api.get("/api/v1/notifications", {"unread": "true"}, headers=headers).json()
    assert [n["title"] for n in body["items"]] == ["值班提醒"]
    marked = api.post("/api/v1/notifications/read", {}, content_type="application/json", headers=headers).json()
    assert marked == {"marked": 1}
    assert api.get("/api/v1/notifications", {"unread": "true"}, headers=headers).json()["count"] == 0
    assert Notification.objects.get(title="别人的消息").read_at is None


def test_inbox_page_shows_unread_badge(cast, client):
    notify(recipients=[cast.duty], title="请接班")
    client.force_login(cast.duty)
    page = client.get("/notifications/").content.decode()
    assert "请接班" in page and 'class="badge">1<' in page
