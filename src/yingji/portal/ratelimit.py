"""The public side's limits on posts and searches per client, counted by core.ratelimit (in the database, so they
hold across web processes)."""

from datetime import datetime

from yingji.core import ratelimit
from yingji.core.ratelimit import RateDecision

# scope → (posts allowed per window, window in seconds)
LIMITS: dict[str, tuple[int, int]] = {
    "question": (5, 3600),
    "lead": (5, 3600),
    # Searches cost a road-network search each: generous for people, a brake for scrapers.
    "nearest": (60, 600),
}


def rate_hit(*, scope: str, address: str, now: datetime | None = None) -> RateDecision:
    """Count one post or search of `address` in `scope` (a key of LIMITS)."""
    limit, window_s = LIMITS[scope]
    return ratelimit.rate_hit(scope=f"portal:{scope}", address=address, limit=limit, window_s=window_s, now=now)
