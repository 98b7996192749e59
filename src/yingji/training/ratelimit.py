"""A per-client rate limit for what the hall offers without sign-in: visit booking, quiz papers and scoring, the
slot list, and the QR sign-in page (where a phone number is the only proof).

Counts live in Django's cache (`CACHES`, the in-process memory cache unless configured), one fixed window per client
and scope: a burst of up to twice the limit can straddle a window's edge, which is enough to stop scripts while a
school class at the kiosks never meets it. With several web processes, point `CACHES` at Redis so they share counts.
The address is counted as a keyed hash, never stored in the clear.
"""

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.models import User

# scope → (requests allowed per window, window in seconds). The hall's kiosks share one address: a quiz is two
# requests (paper, score), so 300 in ten minutes is a kiosk room at full use, not a limit people meet.
LIMITS: dict[str, tuple[int, int]] = {
    "hall_booking": (10, 3600),
    "quiz": (300, 600),
    "slots": (300, 600),
    "sign_in": (30, 600),
}


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after_s: int


def client_of(request: HttpRequest) -> str:
    """What one client is counted as: its IPv4 address, or the /64 of an IPv6 address (one phone or household
    holds a whole /64). The proxy in front must set REMOTE_ADDR to the client's address."""
    raw = (request.META.get("REMOTE_ADDR") or "unknown").strip()
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def rate_hit(*, scope: str, client: str, now: datetime | None = None) -> RateDecision:
    """Count one request of `client` in `scope`; `allowed` is False once the window's limit is passed, with the
    seconds until the next window."""
    limit, window_s = LIMITS[scope]
    moment = (now or timezone.now()).timestamp()
    start = math.floor(moment / window_s) * window_s
    digest = hmac.new(settings.SECRET_KEY.encode(), client.encode(), hashlib.sha256).hexdigest()[:32]
    key = f"yingji:rate:training:{scope}:{digest}:{start}"
    # add() then incr(): both atomic in Redis and in the memory cache, so two requests at once both count.
    cache.add(key, 0, timeout=window_s + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between the two calls.
        cache.set(key, 1, timeout=window_s + 60)
        count = 1
    retry = max(1, math.ceil(start + window_s - moment))
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after_s=retry)


def _public(user: User | AnonymousUser | None) -> bool:
    return user is None or not user.is_authenticated


def _refused(request: HttpRequest, scope: str, user: User | AnonymousUser | None) -> RateDecision | None:
    if not _public(user):
        return None
    decision = rate_hit(scope=scope, client=client_of(request))
    return None if decision.allowed else decision


def too_many_json(request: HttpRequest, scope: str, user: User | AnonymousUser | None) -> JsonResponse | None:
    """For an API operation open to the public: None, or the 429 to answer (people signed in are not counted)."""
    decision = _refused(request, scope, user)
    if decision is None:
        return None
    minutes = max(1, math.ceil(decision.retry_after_s / 60))
    detail = _("Too many requests from your network; try again in %(n)d minutes.") % {"n": minutes}
    response = JsonResponse({"detail": detail, "retry_after_s": decision.retry_after_s}, status=429)
    response["Retry-After"] = str(decision.retry_after_s)
    return response


def too_many_page(request: HttpRequest, scope: str) -> HttpResponse | None:
    """For a public page: None, or the 429 page to show (people signed in are not counted)."""
    decision = _refused(request, scope, request.user)
    if decision is None:
        return None
    minutes = max(1, math.ceil(decision.retry_after_s / 60))
    response = render(request, "training/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(decision.retry_after_s)
    return response
