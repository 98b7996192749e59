"""The hall's quizzes: random papers without sign-in, answers withheld, scoring kept."""

import random

import pytest

from yingji.training import quiz, services
from yingji.training.models import Question, QuizAttempt

JSON = "application/json"


@pytest.fixture
def bank(db):
    for topic in ("fire", "gas"):
        for n in range(12):
            services.question_add(
                by=None,
                topic=topic,
                text=f"{topic} 题 {n}",
                choices=["甲", "乙", "丙", "丁"],
                answer=n % 4,
                explanation=f"解析 {n}",
            )


def test_scoring_is_pure_and_rounds_half_up():
    key = {1: 0, 2: 1, 3: 2}
    result = quiz.score({1: 0, 2: 1, 3: None}, key)
    assert (result.correct, result.total, result.score) == (2, 3, 67)
    assert quiz.score({1: 0}, key).score == 100 and quiz.score({}, key).score == 0
    assert [m.right for m in quiz.score({1: 3, 2: 1}, key).marked] == [False, True]


def test_draw_gives_distinct_ids_and_no_more_than_the_bank():
    drawn = quiz.draw(range(100), 10, random.Random(1))
    assert len(set(drawn)) == 10 and all(0 <= i < 100 for i in drawn)
    assert sorted(quiz.draw([1, 2, 3], 10, random.Random(1))) == [1, 2, 3]


def test_paper_without_sign_in_withholds_the_answers(bank, api):
    response = api.get("/api/v1/hall/quizzes/paper?topic=fire&size=5")
    assert response.status_code == 200
    paper = response.json()
    assert paper["size"] == 5 and len({q["id"] for q in paper["questions"]}) == 5
    assert all(q["topic"] == "fire" and len(q["choices"]) == 4 for q in paper["questions"])
    assert all("answer" not in q and "explanation" not in q for q in paper["questions"])


@pytest.mark.parametrize("query", ["topic=nonsense", "size=0", "size=51", "size=abc"])
def test_bad_paper_requests_are_400(bank, api, query):
    assert api.get(f"/api/v1/hall/quizzes/paper?{query}").status_code == 400


def test_scoring_a_paper_without_sign_in(bank, api):
    paper = api.get("/api/v1/hall/quizzes/paper?topic=gas&size=4").json()["questions"]
    key = {q.pk: q.answer for q in Question.objects.filter(pk__in=[q["id"] for q in paper])}
    answers = [
        {"question": q["id"], "choice": key[q["id"]] if i < 3 else (key[q["id"]] + 1) % 4} for i, q in enumerate(paper)
    ]
    response = api.post("/api/v1/hall/quizzes/score", {"topic": "gas", "answers": answers}, content_type=JSON)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["correct"], body["total"], body["score"]) == (3, 4, 75)
    assert [m["right"] for m in body["marked"]] == [True, True, True, False]
    assert body["marked"][3]["explanation"].startswith("解析")
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.topic, attempt.questions) == (75, "gas", [q["id"] for q in paper])


def test_unknown_questions_are_refused(bank, api):
    response = api.post(
        "/api/v1/hall/quizzes/score", {"answers": [{"question": 999999, "choice": 0}]}, content_type=JSON
    )
    assert response.status_code == 400 and "answers" in response.json()["errors"]
    assert not QuizAttempt.objects.exists()


def test_a_question_needs_a_right_choice_among_its_choices(db):
    from yingji.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        services.question_add(by=None, topic="fire", text="?", choices=["a", "b"], answer=2)
    assert "answer" in refused.value.errors
