"""The JSON API at /api/v1/: mounts each app's router and maps domain errors to HTTP answers."""

import logging
from importlib import import_module

from django.apps import apps
from django.http import Http404, HttpRequest
from django.utils.module_loading import module_has_submodule
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

    def parse_body(self, request: HttpRequest) -> dict:
        return json_loads_strict(request.body)


api = NinjaAPI(
    title="Yingji API",
    version=__version__,
    urls_namespace="api",
    docs_url="/docs",
    auth=api_auth,
    parser=StrictJSONParser(),
)


def _field_name(loc: list) -> str:
    # ninja locates an error as ("body", "payload", "field", …) or ("query", "field"): keep the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form", "filters")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(error.get("msg", "invalid"))
    first_field, messages = next(iter(errors.items()), ("__all__", ["invalid input"]))
    return api.create_response(request, {"detail": f"{first_field}: {messages[0]}", "errors": errors}, status=400)


@api.exception_handler(YingjiError)
def on_domain_error(request, exc: YingjiError):
    body = {"detail": exc.detail, "errors": exc.errors, **exc.extra}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "authentication required"}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, ValueError):  # the body, refused by StrictJSONParser
        detail = f"the body is not valid JSON: {cause}"
        return api.create_response(request, {"detail": detail, "errors": {"body": [str(cause)]}}, status=400)
    return api.create_response(request, {"detail": str(exc.message)}, status=exc.status_code)


@api.exception_handler(Exception)
def on_internal_error(request, exc: Exception):
    # Never an HTML page nor a traceback to an API client: log it, answer JSON.
    log.error("internal error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": "internal error"}, status=500)


api.add_router("/", core_router)
# Every other app of ours that has an `api` module with a `router` is mounted under /api/v1/ too.
for app in apps.get_app_configs():
    if app.name.startswith("yingji.") and app.name != "yingji.core" and module_has_submodule(app.module, "api"):
        api.add_router("/", import_module(f"{app.name}.api").router)
