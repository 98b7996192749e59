"""The JSON API at /api/v1/: mounts each app's router and maps domain errors to HTTP answers."""

from importlib import import_module

from django.apps import apps
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from yingji import __version__
from yingji.core.api import router as core_router
from yingji.core.auth import api_auth
from yingji.core.errors import YingjiError

api = NinjaAPI(
    title="Yingji API",
    version=__version__,
    urls_namespace="api",
    docs_url="/docs",
    auth=api_auth,
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


api.add_router("/", core_router)
# Every other app of ours that has an `api` module with a `router` is mounted under /api/v1/ too.
for app in apps.get_app_configs():
    if app.name.startswith("yingji.") and app.name != "yingji.core" and module_has_submodule(app.module, "api"):
        api.add_router("/", import_module(f"{app.name}.api").router)
