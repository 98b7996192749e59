"""Authentication with lockout, used by the login page, the admin and the token endpoint alike."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from yingji.core.services import is_locked_out, login_attempt_record


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend, refusing locked-out usernames and recording every attempt."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if is_locked_out(username):
            # PermissionDenied stops Django from trying any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        login_attempt_record(username=username, ip=client_ip(request), succeeded=user is not None)
        return user
