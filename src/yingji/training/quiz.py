"""The hall's quizzes as pure functions: draw a random paper from a bank, score the answers given."""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 1, 50, 10


def draw(ids: Sequence[int], size: int, rng: random.Random | None = None) -> list[int]:
    """`size` distinct question ids at random (all of them, shuffled, when the bank is smaller)."""
    rng = rng or random.SystemRandom()
    return rng.sample(list(ids), min(size, len(ids)))


@dataclass(frozen=True)
class Marked:
    question: int
    chosen: int | None
    answer: int

    @property
    def right(self) -> bool:
        return self.chosen == self.answer


@dataclass(frozen=True)
class Result:
    marked: list[Marked]

    @property
    def correct(self) -> int:
        return sum(m.right for m in self.marked)

    @property
    def total(self) -> int:
        return len(self.marked)

    @property
    def score(self) -> int:
        """Out of 100, rounded half up; an empty paper scores 0."""
        return (200 * self.correct + self.total) // (2 * self.total) if self.total else 0


def score(answers: Mapping[int, int | None], key: Mapping[int, int]) -> Result:
    """Mark each question of the paper (`answers` maps question id → chosen index, None unanswered) against
    `key` (question id → right index). An unanswered question counts as wrong."""
    return Result([Marked(q, answers.get(q), key[q]) for q in answers if q in key])
