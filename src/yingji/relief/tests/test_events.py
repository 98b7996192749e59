"""Starting and ending the relief response (启动/结束响应) on the pages: who may, what the page shows, and that an
ended event takes no more reports."""

from datetime import date

from yingji.relief.models import DisasterEvent, EventStatus

OPEN = {"code": "ST-2026-08", "name": "8月台风", "hazard": "flood", "started_on": "2026-08-02", "description": "强降雨"}


def test_duty_officer_starts_a_response_from_the_index(client, cast):
    client.force_login(cast.duty)
    page = client.get("/relief/").content.decode()
    assert 'class="open-event"' in page and "data-confirm" in page
    response = client.post("/relief/", {**OPEN, "org": cast.district.pk})
    event = DisasterEvent.objects.get(code="ST-2026-08")
    assert response.status_code == 302 and response["Location"] == f"/relief/events/{event.pk}/"
    assert event.status == EventStatus.OPEN and event.org == cast.district and event.started_on == date(2026, 8, 2)
    page = client.get(f"/relief/events/{event.pk}/").content.decode()
    assert 'id="event-status"' in page and str(EventStatus.OPEN.label) in page
    assert 'class="close-event inline"' in page


def test_bad_input_stays_on_the_form_with_field_errors(client, cast, relief):
    client.force_login(cast.duty)
    missing = client.post("/relief/", {**OPEN, "name": "", "org": cast.district.pk})
    assert missing.status_code == 200 and "name" in missing.context["form"].errors
    taken = client.post("/relief/", {**OPEN, "code": relief.event.code, "org": cast.district.pk})
    assert taken.status_code == 200 and taken.context["form"].errors
    assert DisasterEvent.objects.count() == 1


def test_street_officer_may_not_start_or_end_a_response(client, cast, relief):
    client.force_login(cast.street_officer)
    page = client.get("/relief/").content.decode()
    assert 'class="open-event"' not in page
    assert client.post("/relief/", {**OPEN, "org": cast.street_a.pk}).status_code == 403
    event_page = client.get(f"/relief/events/{relief.event.pk}/").content.decode()
    assert "close-event" not in event_page
    assert client.post(f"/relief/events/{relief.event.pk}/close/").status_code == 403
    relief.event.refresh_from_db()
    assert relief.event.status == EventStatus.OPEN and not DisasterEvent.objects.filter(code=OPEN["code"]).exists()


def test_duty_officer_ends_the_response_and_the_page_says_so(client, cast, relief):
    client.force_login(cast.duty)
    response = client.post(f"/relief/events/{relief.event.pk}/close/", {"ended_on": "2026-07-20"})
    assert response.status_code == 302
    relief.event.refresh_from_db()
    assert relief.event.status == EventStatus.CLOSED and relief.event.ended_on == date(2026, 7, 20)
    page = client.get(f"/relief/events/{relief.event.pk}/").content.decode()
    assert str(EventStatus.CLOSED.label) in page and "close-event" not in page and 'name="report"' not in page
    # Ending twice is refused with the allowed moves named, shown as a message.
    again = client.post(f"/relief/events/{relief.event.pk}/close/", follow=True)
    assert again.status_code == 200 and len(list(again.context["messages"])) == 1
    relief.event.refresh_from_db()
    assert relief.event.ended_on == date(2026, 7, 20)


def test_events_outside_the_scope_cannot_be_ended(client, cast, relief):
    from yingji.relief import services

    street_event = services.event_create(
        by=None, org=cast.street_b, code="B-1", name="乙街道内涝", hazard="flood", started_on=date(2026, 7, 6)
    )
    client.force_login(cast.outsider)
    assert client.post(f"/relief/events/{street_event.pk}/close/").status_code == 403
    street_event.refresh_from_db()
    assert street_event.status == EventStatus.OPEN
