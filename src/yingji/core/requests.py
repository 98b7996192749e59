"""Types for annotations. Requests: what a view may rely on once authentication has run.

django-stubs types ``request.user`` as ``User | AnonymousUser`` and knows nothing of django-ninja's ``request.auth``;
a view behind ``login_required`` or an API operation behind the token/session auth annotates its request with one of
these instead (the pattern django-stubs documents for custom request attributes).
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

from yingji.core.models import User


class AuthedRequest(HttpRequest):
    """A page request behind ``login_required``: ``request.user`` is a signed-in user."""

    user: User


class ApiRequest(HttpRequest):
    """An API request the project's auth let in: ``request.auth`` is the user it found."""

    auth: User
    user: User


if TYPE_CHECKING:
    from django_stubs_ext import StrPromise
else:  # django-stubs-ext is a development tool; at run time a lazy text is a Promise
    from django.utils.functional import Promise as StrPromise

# A user-visible text: a string or a lazy translation (`gettext_lazy`).
Text = str | StrPromise
