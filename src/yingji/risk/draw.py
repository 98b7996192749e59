"""The double-random draw (双随机): enterprises drawn at random from a pool, inspectors drawn at random for each.

The draw is reproducible from what is recorded with it (the seed and the two pools), by anyone, in any language:
the random stream is SHA-256 in counter mode — block k is SHA-256(UTF-8 of "<seed>:<k>"), k = 0, 1, …, read as
a big-endian 256-bit integer — and a number below n is taken by rejection sampling (draw a block, keep it if it is
below the largest multiple of n under 2^256, use it modulo n). Pools are sorted ascending first; enterprises are
chosen by a partial Fisher-Yates shuffle, then for each chosen enterprise (in drawing order) its inspectors by a
fresh partial shuffle of the inspector pool.
"""

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

SPACE = 1 << 256


class Stream:
    """The draw's random numbers: SHA-256 of "<seed>:<counter>"."""

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.counter = 0

    def _blocks(self) -> Iterator[int]:
        while True:
            digest = hashlib.sha256(f"{self.seed}:{self.counter}".encode()).digest()
            self.counter += 1
            yield int.from_bytes(digest, "big")

    def below(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = SPACE - SPACE % n
        for block in self._blocks():
            if block < limit:
                return block % n
        raise AssertionError("unreachable")

    def sample(self, pool: Sequence[int], k: int) -> list[int]:
        """k distinct members of `pool` in drawing order (partial Fisher-Yates)."""
        items = list(pool)
        for i in range(k):
            j = i + self.below(len(items) - i)
            items[i], items[j] = items[j], items[i]
        return items[:k]


@dataclass(frozen=True)
class Assignment:
    enterprise: int
    inspectors: tuple[int, ...]


def double_random(
    *, seed: str, enterprises: Sequence[int], inspectors: Sequence[int], count: int, inspectors_per: int = 2
) -> list[Assignment]:
    """Draw `count` enterprises and `inspectors_per` inspectors for each; raises ValueError when a pool is short."""
    enterprise_pool = sorted(set(enterprises))
    inspector_pool = sorted(set(inspectors))
    if count < 1 or count > len(enterprise_pool):
        raise ValueError("count", f"draw between 1 and {len(enterprise_pool)} enterprises")
    if inspectors_per < 1 or inspectors_per > len(inspector_pool):
        raise ValueError("inspectors_per", f"draw between 1 and {len(inspector_pool)} inspectors per enterprise")
    stream = Stream(seed)
    chosen = stream.sample(enterprise_pool, count)
    return [Assignment(enterprise=e, inspectors=tuple(stream.sample(inspector_pool, inspectors_per))) for e in chosen]
