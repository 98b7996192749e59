"""Volunteers with consent, call-outs through the outbox with yes/no replies, organisations and awards."""

from decimal import Decimal

import pytest

from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import ChannelConfig, Delivery
from yingji.core.tests.test_channels import webhook_server  # noqa: F401 — the fixture is used by name
from yingji.relief import services
from yingji.resources import services as resources


@pytest.fixture
def volunteers(cast):
    return [
        services.volunteer_register(by=cast.street_officer, org=cast.street_a, name=n, phone=p, consent=True)
        for n, p in [("赵敏", "13600000001"), ("钱多", "13600000002")]
    ]


def test_no_consent_no_record(cast):
    with pytest.raises(ValidationFailed) as refused:
        services.volunteer_register(by=cast.street_officer, org=cast.street_a, name="孙", phone="1", consent=False)
    assert "consent" in refused.value.errors


def test_volunteer_joins_a_volunteer_team_of_resources(cast):
    team = resources.team_create(by=None, parent=cast.street_a, code="VT-A", name="甲街道志愿者队", kind="volunteer")
    volunteer = services.volunteer_register(
        by=cast.street_officer, org=cast.street_a, name="周", phone="13600000003", consent=True, team=team
    )
    assert volunteer.team == team
    water = resources.team_create(by=None, parent=cast.street_a, code="WT-A", name="水上队", kind="water")
    with pytest.raises(ValidationFailed):
        services.volunteer_register(
            by=cast.street_officer, org=cast.street_a, name="吴", phone="13600000004", consent=True, team=water
        )


def test_callout_queues_sms_and_group_messages_and_records_replies(cast, volunteers):
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    group = ChannelConfig.objects.create(name="志愿者群", kind="wecom", url="http://127.0.0.1:9/wecom")
    callout = services.callout_send(
        by=cast.street_officer,
        org=cast.street_a,
        title="紧急召集",
        message="请于18时到甲街道广场集合转移群众",
        volunteers=volunteers,
        wecom=group,
    )
    deliveries = Delivery.objects.filter(message=callout.outbox)
    assert sorted(d.address for d in deliveries if d.channel == "sms") == ["13600000001", "13600000002"]
    assert deliveries.filter(channel="wecom").count() == 1
    assert "回复 1" in callout.outbox.body
    services.callout_reply(by=cast.street_officer, callout=callout, volunteer=volunteers[0], answer="1")
    services.callout_reply(by=None, callout=callout, volunteer=volunteers[1], answer="不能")
    assert {r.volunteer.name: r.answer for r in callout.replies.all()} == {"赵敏": "yes", "钱多": "no"}
    with pytest.raises(ValidationFailed):
        services.callout_reply(by=None, callout=callout, volunteer=volunteers[0], answer="maybe?")


def test_callout_api_and_reply(api, bearer, cast, volunteers):
    headers = bearer(cast.street_officer)
    created = api.post(
        "/api/v1/relief/callouts",
        {"org": cast.street_a.pk, "title": "召集", "message": "集合", "volunteers": [v.pk for v in volunteers]},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201 and len(created.json()["replies"]) == 2
    reply = api.post(
        f"/api/v1/relief/callouts/{created.json()['id']}/replies",
        {"volunteer": volunteers[0].pk, "answer": "yes"},
        content_type="application/json",
        headers=headers,
    )
    assert reply.status_code == 200 and reply.json()["answer"] == "yes"


def test_hours_served_add_up(cast, volunteers):
    services.volunteer_log_hours(by=cast.street_officer, volunteer=volunteers[0], hours=Decimal("3.5"))
    volunteer = services.volunteer_log_hours(by=cast.street_officer, volunteer=volunteers[0], hours=Decimal("2"))
    assert volunteer.hours_served == Decimal("5.5")


def test_awards_need_someone_else_to_approve(cast, volunteers):
    from yingji.conftest import PASSWORD
    from yingji.core.services import user_create

    commander = user_create(by=None, username="t_cmd", password=PASSWORD, org=cast.bureau, roles=["commander"])
    organisation = services.organisation_create(
        by=cast.street_officer,
        org=cast.street_a,
        name="黄石蓝天救援队",
        capabilities="水上搜救、转移安置",
        contact_name="刘队长",
        phone="13500000000",
    )
    award = services.award_submit(
        by=cast.street_officer,
        org=cast.street_a,
        kind="compensation",
        amount_yuan=Decimal("3200"),
        reason="7月洪涝转移群众油料补偿",
        organisation=organisation,
    )
    with pytest.raises(NotAllowed):
        services.award_decide(by=cast.street_officer, award=award, approve=True)
    approved = services.award_decide(by=commander, award=award, approve=True, note="同意")
    assert approved.status == "approved" and approved.decided_by == commander
    with pytest.raises(Conflict):
        services.award_decide(by=commander, award=award, approve=False)
    own = services.award_submit(
        by=commander, org=cast.street_a, kind="reward", amount_yuan=Decimal("500"), reason="x", volunteer=volunteers[0]
    )
    with pytest.raises(Conflict):
        services.award_decide(by=commander, award=own, approve=True)
    with pytest.raises(ValidationFailed):
        services.award_submit(by=commander, org=cast.street_a, kind="reward", amount_yuan=Decimal("1"), reason="x")


def test_pages_render(client, cast, volunteers):
    client.force_login(cast.street_officer)
    assert client.get("/relief/").status_code == 200
    assert "赵敏" in client.get("/relief/volunteers/").content.decode()
    client.force_login(cast.enterprise_manager)
    assert client.get("/relief/").status_code == 403


def test_callout_reaches_a_real_sms_gateway_and_group_robot(cast, volunteers, webhook_server):  # noqa: F811
    from yingji.core.notify import outbox_deliver_due

    ChannelConfig.objects.create(name="短信网关", kind="sms", url=f"{webhook_server.url}/sms")
    group = ChannelConfig.objects.create(name="志愿者群", kind="wecom", url=f"{webhook_server.url}/robot")
    services.callout_send(
        by=cast.street_officer,
        org=cast.street_a,
        title="紧急召集",
        message="请到甲街道广场集合",
        volunteers=volunteers,
        wecom=group,
    )
    report = outbox_deliver_due()
    assert report.sent == 3
    sms = sorted(r["body"]["phone"] for r in webhook_server.received if r["path"] == "/sms")
    assert sms == ["13600000001", "13600000002"]
    robot = next(r for r in webhook_server.received if r["path"] == "/robot")
    assert "请到甲街道广场集合" in robot["body"]["text"]["content"]


def test_volunteer_registered_and_award_decided_through_the_pages(client, cast, volunteers):
    from yingji.conftest import PASSWORD
    from yingji.core.services import user_create

    client.force_login(cast.street_officer)
    refused = client.post(
        "/relief/volunteers/", {"org": cast.street_a.pk, "name": "冯", "phone": "13600000009", "register": ""}
    )
    assert refused.status_code == 200 and "consent" in refused.context["form"].errors
    data = {
        "org": cast.street_a.pk,
        "name": "冯",
        "phone": "13600000009",
        "availability": "anytime",
        "consent": "on",
        "register": "",
    }
    assert client.post("/relief/volunteers/", data).status_code == 302
    award = services.award_submit(
        by=cast.street_officer,
        org=cast.street_a,
        kind="reward",
        amount_yuan=Decimal("300"),
        reason="x",
        volunteer=volunteers[0],
    )
    assert client.post(f"/relief/awards/{award.pk}/approve/").status_code == 403
    commander = user_create(by=None, username="t_cmd2", password=PASSWORD, org=cast.bureau, roles=["commander"])
    client.force_login(commander)
    assert client.post(f"/relief/awards/{award.pk}/approve/", {"note": "同意"}).status_code == 302
    award.refresh_from_db()
    assert award.status == "approved" and award.decision_note == "同意"


def test_household_history_page_is_scoped(client, cast, relief):
    services.distribution_create(
        by=cast.duty,
        event=relief.event,
        household=relief.home_a,
        material=relief.stock.water,
        warehouse=relief.stock.warehouse_a,
        quantity=1,
        signed_by="张三",
    )
    client.force_login(cast.street_officer)
    page = client.get(f"/relief/households/{relief.home_a.pk}/")
    assert page.status_code == 200 and "瓶装饮用水" in page.content.decode()
    assert client.get(f"/relief/households/{relief.home_b.pk}/").status_code == 404


def test_call_out_sent_and_reply_recorded_through_the_page(client, cast, volunteers):
    from yingji.relief.models import CallOut

    client.force_login(cast.street_officer)
    sent = client.post(
        "/relief/volunteers/",
        {
            "callout": "",
            "org": cast.street_a.pk,
            "title": "夜间值守召集",
            "message": "今晚需要两名志愿者",
            "volunteers": [v.pk for v in volunteers],
        },
    )
    assert sent.status_code == 302
    callout = CallOut.objects.get(title="夜间值守召集")
    client.post(f"/relief/callouts/{callout.pk}/reply/", {"volunteer": volunteers[1].pk, "answer": "yes"})
    assert callout.replies.get(volunteer=volunteers[1]).answer == "yes"
    assert "夜间值守召集" in client.get("/relief/volunteers/").content.decode()
