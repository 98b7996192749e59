"""A per-client rate limit for what the platform offers without sign-in, holding across web processes: the counts
live in the database (RateCounter), so no shared cache needs configuring.

Fixed windows (a burst of up to twice the limit can straddle a window's edge, which is acceptable for spam control).
The address is kept only as a keyed hash, so the table holds no personal data and cannot be reversed without the
platform's secret key.
"""

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yingji.core.models import RateCounter

# Counters older than this are of no further use.
KEEP = timedelta(days=2)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after_s: int


def client_network(address: str) -> str:
    """What one client is counted as: its IPv4 address, or the /64 network of an IPv6 address (one household or
    phone holds a whole /64, so counting single IPv6 addresses would let it rotate past the limit)."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def address_key(address: str) -> str:
    """The keyed hash an address is counted under."""
    return hmac.new(settings.SECRET_KEY.encode(), client_network(address).encode(), hashlib.sha256).hexdigest()


def _window_start(now: datetime, window_s: int) -> datetime:
    epoch = math.floor(now.timestamp() / window_s) * window_s
    return datetime.fromtimestamp(epoch, tz=UTC)


def rate_hit(*, scope: str, address: str, limit: int, window_s: int, now: datetime | None = None) -> RateDecision:
    """Count one request by `address` in `scope` (an app's name for what is limited, e.g. "portal:lead"), at most
    `limit` per fixed window of `window_s` seconds; `allowed` is False once the limit is passed, with the seconds
    until the next window in `retry_after_s`."""
    now = now or timezone.now()
    start = _window_start(now, window_s)
    key = address_key(address or "unknown")
    with transaction.atomic():
        try:
            with transaction.atomic():
                RateCounter.objects.get_or_create(scope=scope, key=key, window_start=start)
        except IntegrityError:
            # Another process created the same window's row between our read and insert: it exists now.
            pass
        # One UPDATE … SET count = count + 1: two processes counting at once both land.
        RateCounter.objects.filter(scope=scope, key=key, window_start=start).update(count=F("count") + 1)
        count = RateCounter.objects.filter(scope=scope, key=key, window_start=start).values_list("count", flat=True)[0]
        RateCounter.objects.filter(window_start__lt=now - KEEP).delete()
    retry = max(1, math.ceil((start + timedelta(seconds=window_s) - now).total_seconds()))
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after_s=retry)
