"""The platform's middleware: sign-in for pages, the Content-Security-Policy, and the API's input guard."""

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yingji.core.audit import current_address
from yingji.core.backends import client_ip
from yingji.core.inputs import MAX_ID
from yingji.core.passwords import password_expired

# Pages a user who must change their password or set up a second factor may still open.
ACCOUNT_PATHS = ("/account/password/", "/account/mfa/", "/logout/", "/login/", "/static/", "/i18n/", "/api/")
MFA_ENROL_KEY = "yingji_mfa_enrol_required"
API_PREFIX = "/api/"
# Every script and style is served by the platform itself (offline intranet): nothing inline, nothing foreign.
# `data:` images are Leaflet's and Swagger UI's icons; `frame-ancestors` does what X-Frame-Options does.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
JSON_TYPES = ("application/json",)
FORM_TYPES = ("multipart/form-data",)
# CAP 1.2 messages (warnings import) are XML documents; every other body is JSON.
XML_TYPES = ("application/cap+xml", "application/xml", "text/xml")
_DIGITS = re.compile(r"[+-]?\d+")


class PagesLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user; the API answers 401 itself and static files are public."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[Any, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith(("/api/", "/static/")):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestAddressMiddleware:
    """Remember the request's source address for the audit entries written while serving it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)


class AccountPolicyMiddleware:
    """A signed-in user whose password was set by someone else or has expired goes to the change page first; an
    administrator who signed in without a second factor goes to set one up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith(ACCOUNT_PATHS):
            if password_expired(user):
                return redirect("core:password-change")
            if request.session.get(MFA_ENROL_KEY):
                return redirect("core:mfa")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy without `unsafe-inline` on every answer: a name stored with markup in it can
    at worst show as text, and even a script slipped into a page by a bug does not run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def _bad(request: HttpRequest, status: int, detail: str, field: str = "__all__") -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "errors": {field: [detail]}}, status=status)
    return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


def _out_of_range(value: str) -> bool:
    return bool(_DIGITS.fullmatch(value)) and abs(int(value)) > MAX_ID


class InputGuardMiddleware:
    """Refuses, before any view runs, input no view should have to think about:

    - a NUL character in the path or the query string (PostgreSQL cannot store one) → 400;
    - on the API, a path segment that is an integer beyond the database's integer range → 404 (no such row),
      and such an integer as a query value → 400;
    - on the API, a request body that is not `application/json` (or `multipart/form-data` for uploads, XML for
      CAP messages) → 415.

    And on the way out, any API error that is not JSON (Django's 404 and 500 pages, ninja's 405) becomes
    `{"detail": …}`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refuse(request)
        response = refusal or self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            response = self.as_json(response)
        return response

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse | None:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            return _bad(request, 400, _("NUL characters are not allowed"))
        if not request.path_info.startswith(API_PREFIX):
            return None
        if any(_out_of_range(segment) for segment in request.path_info.split("/")):
            return _bad(request, 404, _("not found"))
        for name, values in request.GET.lists():
            if any(_out_of_range(value.strip()) for value in values):
                return _bad(request, 400, _("%(name)s: the number is out of range") % {"name": name}, name)
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and _has_body(request):
            if content_type not in JSON_TYPES + FORM_TYPES + XML_TYPES:
                return _bad(request, 415, _("the request body must be application/json"))
        if content_type in FORM_TYPES and request.method == "POST":
            try:
                request.FILES  # noqa: B018 (parsed now, so a broken upload is a 400 rather than a crash later)
            except MultiPartParserError as exc:
                return _bad(request, 400, _("the upload cannot be read: %(reason)s") % {"reason": exc}, "file")
        return None

    @staticmethod
    def as_json(response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        known = {
            404: _("not found"),
            405: _("method not allowed"),
            413: _("request too large"),
            500: _("internal error"),
        }
        try:
            detail = known.get(response.status_code) or HTTPStatus(response.status_code).phrase.lower()
        except ValueError:
            detail = _("error")
        fresh = JsonResponse({"detail": detail}, status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                fresh[header] = response[header]
        return fresh


def _has_body(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True
