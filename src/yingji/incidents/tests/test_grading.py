"""Order 493 art. 3 at every boundary: "以上" includes the number, "以下" excludes it."""

import pytest

from yingji.incidents.grading import LABELS, grade_accident, grade_incident


def grade(deaths: int = 0, serious: int = 0, loss: int = 0) -> str:
    return grade_accident(deaths=deaths, serious_injuries=serious, direct_loss_yuan=loss)


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [(0, "IV"), (2, "IV"), (3, "III"), (9, "III"), (10, "II"), (29, "II"), (30, "I"), (31, "I")],
)
def test_deaths_bands(deaths, expected):
    assert grade(deaths=deaths) == expected


@pytest.mark.parametrize(
    ("serious", "expected"),
    [(9, "IV"), (10, "III"), (49, "III"), (50, "II"), (99, "II"), (100, "I")],
)
def test_serious_injury_bands_including_acute_poisoning(serious, expected):
    assert grade(serious=serious) == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (9_999_999, "IV"),
        (10_000_000, "III"),
        (49_999_999, "III"),
        (50_000_000, "II"),
        (99_999_999, "II"),
        (100_000_000, "I"),
    ],
)
def test_direct_loss_bands(loss, expected):
    assert grade(loss=loss) == expected


def test_two_deaths_is_ordinary_three_is_relatively_serious():
    assert (grade(deaths=2), grade(deaths=3)) == ("IV", "III")


def test_highest_criterion_wins():
    assert grade(deaths=1, serious=10, loss=0) == "III"
    assert grade(deaths=3, serious=0, loss=100_000_000) == "I"
    assert grade(deaths=10, serious=100, loss=0) == "I"


def test_missing_persons_are_not_counted_as_deaths():
    # Art. 3 counts deaths; the missing are reported, not graded (see grading.py).
    assert grade(deaths=2) == "IV"
    assert LABELS[grade(deaths=2)] == "一般事故"


def test_only_production_safety_accidents_are_graded():
    assert grade_incident(order493=False, deaths=40, serious_injuries=0, direct_loss_yuan=0) is None
    assert grade_incident(order493=True, deaths=40, serious_injuries=0, direct_loss_yuan=0) == "I"


def test_negative_figures_are_refused():
    with pytest.raises(ValueError, match="negative"):
        grade(deaths=-1)
