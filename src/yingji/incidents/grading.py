"""Grade a production-safety accident by State Council Order 493 (生产安全事故报告和调查处理条例), art. 3.

"以上" includes the number itself, "以下" excludes it; serious injuries include acute industrial poisoning; the
grade is the highest that any one criterion reaches, since the criteria are joined by "或者". Art. 3 counts
deaths: missing persons are not deaths under its text and do not raise the grade (they are reported separately).
Source: /work/shared/standards/accident_grading.md, section 1.
"""

from typing import Final

I, II, III, IV = "I", "II", "III", "IV"  # noqa: E741 — the grades are called I to IV

# Lower bound ("以上", inclusive) of each grade per criterion, most severe first.
DEATHS: Final = ((I, 30), (II, 10), (III, 3))
SERIOUS_INJURIES: Final = ((I, 100), (II, 50), (III, 10))
DIRECT_LOSS_YUAN: Final = ((I, 100_000_000), (II, 50_000_000), (III, 10_000_000))

ORDER: Final = (IV, III, II, I)
LABELS: Final = {I: "特别重大事故", II: "重大事故", III: "较大事故", IV: "一般事故"}


def _by_criterion(value: int, bands: tuple[tuple[str, int], ...]) -> str:
    for grade, lower in bands:
        if value >= lower:
            return grade
    return IV


def grade_accident(*, deaths: int, serious_injuries: int, direct_loss_yuan: int) -> str:
    """The Order 493 grade ("I" 特别重大 … "IV" 一般) of an accident with these consequences."""
    if min(deaths, serious_injuries, direct_loss_yuan) < 0:
        raise ValueError("casualty figures and losses cannot be negative")
    grades = (
        _by_criterion(deaths, DEATHS),
        _by_criterion(serious_injuries, SERIOUS_INJURIES),
        _by_criterion(direct_loss_yuan, DIRECT_LOSS_YUAN),
    )
    return max(grades, key=ORDER.index)


def grade_incident(*, order493: bool, deaths: int, serious_injuries: int, direct_loss_yuan: int) -> str | None:
    """The grade of an incident, or None where Order 493 does not apply (not a production-safety accident)."""
    if not order493:
        return None
    return grade_accident(deaths=deaths, serious_injuries=serious_injuries, direct_loss_yuan=direct_loss_yuan)
