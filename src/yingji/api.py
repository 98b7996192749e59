"""The JSON API at /api/v1/: mounts each app's router and maps domain errors to HTTP answers."""

import logging
from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from yingji import __version__
from yingji.core.api import router as core_router
from yingji.core.auth import api_auth
from yingji.core.errors import YingjiError
from yingji.core.inputs import json_loads_strict

log = logging.getLogger("yingji.api")


class StrictJSONParser(Parser):
    """Request bodies as JSON only, with no NaN, NUL, lone surrogate or out-of-range number anywhere
    (`core.inputs.json_loads_strict`); the input guard middleware has already refused other content types."""

    def parse_body(self, request: HttpRequest) -> Any:  # any JSON value: the operation's schema says what fits
        return json_loads_strict(request.body)


api = NinjaAPI(
    title="Yingji API",
    version=__version__,
    urls_namespace="api",
    docs_url="/docs",
    auth=api_auth,
    parser=StrictJSONParser(),
)


def _field_name(loc: list[Any]) -> str:
    # ninja locates an error as ("body", "payload", "field", …) or ("query", "field"): keep the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form", "filters")]
    return ".".join(parts) or "__all__"


def _message(error: dict[str, Any]) -> str:
    """A schema error in the user's language, from pydantic's error `type` and its limits (pydantic's own `msg`
    is English only)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    limit = {k: ctx[k] for k in ("min_length", "max_length", "ge", "le", "gt", "lt", "expected") if k in ctx}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_short", "too_short"):
        return _("At least %(n)s characters or items.") % {"n": limit.get("min_length", 1)}
    if kind in ("string_too_long", "too_long"):
        return _("At most %(n)s characters or items.") % {"n": limit.get("max_length", "")}
    if kind == "greater_than_equal":
        return _("Must be at least %(n)s.") % {"n": limit.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(n)s.") % {"n": limit.get("le")}
    if kind == "greater_than":
        return _("Must be greater than %(n)s.") % {"n": limit.get("gt")}
    if kind == "less_than":
        return _("Must be less than %(n)s.") % {"n": limit.get("lt")}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Give a whole number.")
    if kind in ("float_parsing", "float_type", "finite_number", "decimal_parsing", "decimal_type"):
        return _("Give a finite number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Give true or false.")
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return _("Give a date and time (ISO 8601, e.g. 2026-07-01T08:00:00+08:00).")
    if kind.startswith("date"):
        return _("Give a date (YYYY-MM-DD).")
    if kind in ("enum", "literal_error"):
        return _("Not one of the allowed values (%(expected)s).") % {"expected": limit.get("expected", "")}
    if kind in ("string_type", "string_unicode"):
        return _("Give text.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Give a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Give an object.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "string_pattern_mismatch":
        return _("Not in the expected format.")
    if kind == "value_error":
        # Our own validators raise ValueError with a message already in the catalogues.
        return _(str(error.get("msg", "")).removeprefix("Value error, ")) or _("Invalid value.")
    return _("Invalid value.")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(_message(error))
    first_field, messages = next(iter(errors.items()), ("__all__", [_("Invalid value.")]))
    return api.create_response(request, {"detail": f"{first_field}: {messages[0]}", "errors": errors}, status=400)


@api.exception_handler(YingjiError)
def on_domain_error(request: HttpRequest, exc: YingjiError) -> HttpResponse:
    body = {"detail": exc.detail, "errors": exc.errors, **exc.extra}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("not found")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("authentication required")}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, ValueError):  # the body, refused by StrictJSONParser
        detail = _("the body is not valid JSON: %(reason)s") % {"reason": cause}
        return api.create_response(request, {"detail": detail, "errors": {"body": [str(cause)]}}, status=400)
    return api.create_response(request, {"detail": str(exc.message)}, status=exc.status_code)


@api.exception_handler(Exception)
def on_internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never an HTML page nor a traceback to an API client: log it, answer JSON.
    log.error("internal error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": _("internal error")}, status=500)


api.add_router("/", core_router)
# Every other app of ours that has an `api` module with a `router` is mounted under /api/v1/ too.
for app in apps.get_app_configs():
    if app.name.startswith("yingji.") and app.name != "yingji.core" and module_has_submodule(app.module, "api"):
        api.add_router("/", import_module(f"{app.name}.api").router)
