"""Staff answer questions, publish good answers as FAQ, and read the response times; permissions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.core.errors import NotAllowed
from yingji.portal import selectors, services
from yingji.portal.models import Question


def ask(text: str = "台风天能否出门？", hours_ago: float = 0, address: str = "192.0.2.1") -> Question:
    return services.question_ask(
        address=address, category="warning", text=text, now=timezone.now() - timedelta(hours=hours_ago)
    )


def test_answer_and_publish_as_faq_through_the_page(client, cast):
    question = ask()
    client.force_login(cast.duty)
    page = client.post(
        f"/portal/questions/{question.pk}/",
        {"answer": "红色预警期间请勿外出。", "faq": "on", "faq_title": "台风天出行"},
    )
    assert page.status_code == 302
    question.refresh_from_db()
    assert question.status == "answered" and question.faq and question.answered_by == cast.duty
    assert "请勿外出" in client.get("/public/faq/").content.decode()


def test_response_time_figures(cast):
    for hours in (2, 10, 30):
        q = ask(text=f"问题{hours}", hours_ago=hours, address=f"192.0.2.{hours}")
        services.question_answer(by=cast.duty, question=q, answer="答复")
    ask(text="还在等", address="192.0.2.99")
    stats = selectors.response_stats(user=cast.duty)
    assert stats["asked"] == 4 and stats["answered"] == 3 and stats["waiting"] == 1
    assert stats["median_h"] == pytest.approx(10, abs=0.1)
    assert stats["within_24h"] == 2 and stats["max_h"] == pytest.approx(30, abs=0.1)


def test_only_the_desk_answers(cast, api, bearer):
    question = ask()
    with pytest.raises(NotAllowed):
        services.question_answer(by=cast.street_officer, question=question, answer="x")
    for user in (cast.street_officer, cast.enterprise_manager, cast.outsider):
        response = api.post(
            f"/api/v1/portal/questions/{question.pk}/answer",
            {"answer": "x"},
            content_type="application/json",
            headers=bearer(user),
        )
        assert response.status_code in (403, 404)
    assert api.get("/api/v1/portal/questions", headers=bearer(cast.street_officer)).json()["count"] == 0
    answered = api.post(
        f"/api/v1/portal/questions/{question.pk}/answer",
        {"answer": "可以", "faq": True},
        content_type="application/json",
        headers=bearer(cast.duty),
    )
    assert answered.status_code == 200 and answered.json()["faq"] is True


def test_a_closed_question_cannot_be_faq(cast):
    question = services.question_close(by=cast.duty, question=ask())
    question.faq = True
    from yingji.core.commands import clean_or_fail
    from yingji.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        clean_or_fail(question)


def test_staff_pages_need_sign_in_and_permission(client, cast):
    assert client.get("/portal/questions/").status_code == 302
    client.force_login(cast.enterprise_manager)
    assert client.get("/portal/questions/").status_code == 403
    client.force_login(cast.duty)
    for url in ["/portal/", "/portal/questions/", "/portal/leads/", "/portal/articles/", "/portal/articles/new/"]:
        assert client.get(url).status_code == 200, url


def test_articles_written_and_published_through_the_pages(client, cast):
    client.force_login(cast.duty)
    response = client.post(
        "/portal/articles/new/",
        {"kind": "knowledge", "topic": "flood", "season": "summer", "title": "防汛常识", "body": "远离河道。"},
    )
    assert response.status_code == 302
    from yingji.portal.models import Article

    article = Article.objects.get(title="防汛常识")
    assert "防汛常识" not in client.get("/public/articles/").content.decode()
    client.post(f"/portal/articles/{article.pk}/published/")
    assert "防汛常识" in client.get("/public/articles/").content.decode()


def test_street_officer_reaches_the_leads_but_not_the_questions(client, cast):
    client.force_login(cast.street_officer)
    assert client.get("/portal/").status_code == 200
    assert client.get("/portal/leads/").status_code == 200
    assert client.get("/portal/questions/").status_code == 403
    assert 'href="/portal/"' in client.get("/portal/").content.decode()
