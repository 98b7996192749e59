"""Exercise mode: a drill's warning carries "exercise": true in the API and never reaches the public feed."""

from django.test import Client

from yingji.warnings.tests.test_feed import entries, publish


def test_exercise_warning_stays_out_of_the_public_feed(cast, commander, draft, api, bearer):
    publish(commander, draft, headline="暴雨黄色预警")
    drill = publish(commander, draft, headline="演练：暴雨红色预警", exercise=True)
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries(Client())] == ["暴雨黄色预警"]
    body = api.get(f"/api/v1/warnings/{drill.pk}", headers=bearer(cast.duty)).json()
    assert body["exercise"] is True


def test_api_accepts_and_returns_exercise(cast, api, bearer):
    from datetime import timedelta

    from django.utils import timezone

    payload = {
        "event_type": "rainstorm",
        "level": "red",
        "headline": "演练：暴雨红色预警",
        "description": "演练用",
        "area_streets": [cast.street_a.pk],
        "expires": (timezone.now() + timedelta(hours=3)).isoformat(),
        "exercise": True,
    }
    response = api.post("/api/v1/warnings", payload, content_type="application/json", headers=bearer(cast.duty))
    assert response.status_code == 201, response.json()
    assert response.json()["exercise"] is True
