"""Request types for annotations: what a view may rely on once authentication has run.

django-stubs types ``request.user`` as ``User | AnonymousUser`` and knows nothing of django-ninja's ``request.auth``;
a view behind ``login_required`` or an API operation behind the token/session auth annotates its request with one of
these instead (the pattern django-stubs documents for custom request attributes).
"""

from django.http import HttpRequest

from yingji.core.models import User


class AuthedRequest(HttpRequest):
    """A page request behind ``login_required``: ``request.user`` is a signed-in user."""

    user: User


class ApiRequest(HttpRequest):
    """An API request the project's auth let in: ``request.auth`` is the user it found."""

    auth: User
    user: User
