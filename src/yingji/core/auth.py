"""API authentication: a bearer token or the signed-in session (with CSRF)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from yingji.core.models import User
from yingji.core.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api_auth = [BearerToken(), django_auth]
