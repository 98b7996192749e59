"""A per-client rate limit for what the hall offers without sign-in: visit booking, quiz papers and scoring, the
slot list, and the QR sign-in page (where a phone number is the only proof).

Counted by core.ratelimit (in the database, so every web process counts the same requests; the address only as a
keyed hash), one fixed window per client and scope: enough to stop scripts while a school class at the kiosks never
meets it.
"""

import math
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yingji.core import ratelimit
from yingji.core.models import User
from yingji.core.ratelimit import RateDecision, client_network

# scope → (requests allowed per window, window in seconds). The hall's kiosks share one address: a quiz is two
# requests (paper, score), so 300 in ten minutes is a kiosk room at full use, not a limit people meet.
LIMITS: dict[str, tuple[int, int]] = {
    "hall_booking": (10, 3600),
    "quiz": (300, 600),
    "slots": (300, 600),
    "sign_in": (30, 600),
}


def client_of(request: HttpRequest) -> str:
    """What one client is counted as (core.ratelimit.client_network of its address). The proxy in front must set
    REMOTE_ADDR to the client's address."""
    return client_network(request.META.get("REMOTE_ADDR") or "unknown")


def rate_hit(*, scope: str, client: str, now: datetime | None = None) -> RateDecision:
    """Count one request of `client` in `scope` (a key of LIMITS)."""
    limit, window_s = LIMITS[scope]
    return ratelimit.rate_hit(scope=f"training:{scope}", address=client, limit=limit, window_s=window_s, now=now)


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
