"""Authentication with lockout, used by the login page, the admin and the token endpoint alike."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from yingji.core.models import User
from yingji.core.services import is_locked_out, login_attempt_record, mfa_enabled


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted reverse proxy the last X-Forwarded-For hop."""
    if request is None:
        return None
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:45]
    return request.META.get("REMOTE_ADDR") or None


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend, refusing locked-out (username, address) pairs and addresses and recording every
    attempt. A user with a second factor is recorded as successful only once the code is right, so a known
    password cannot be used to reset the count while guessing codes."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        ip = client_ip(request)
        if is_locked_out(username, ip):
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or not mfa_enabled(user):
            login_attempt_record(username=username, ip=ip, succeeded=user is not None)
        return user
