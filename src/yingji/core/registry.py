"""Plain-CRUD registries declared once (NetBox's generic views, ninja's schemas from the model).

A `Registry` names its model, the fields a person may write, its read schema, filters, selectors and services, its
Excel sheet and its pages' columns. From it follow:
- the API: list (filtered, paginated), get, create (201), patch, .xlsx export and import, mounted by `registry_api`;
- the write schemas, derived from the model's fields (`write_schemas`), so lengths, choices and bounds cannot drift
  from the model: text no longer than the column, choices only from the model's, integers within the database's range
  (positive fields from 0), floats finite; a PATCH may leave fields out but never null a field that cannot be null;
- the list, detail and edit pages (`columns`, `detail`, `form`, `filter_form`, used by the app's generic views);
- the admin (`registry_admin`): the same rows, columns, filters and search as the pages, saving through the services.
A registry with behaviour beyond CRUD (a lifecycle, a ledger) keeps hand-written services and uses the kit directly.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Optional, cast
from urllib.parse import quote

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import create_model
from pydantic.fields import FieldInfo

from yingji.core.access import resolve_in_scope
from yingji.core.audit import audit_export
from yingji.core.errors import ValidationFailed
from yingji.core.inputs import MAX_ID, MAX_QUANTITY
from yingji.core.models import OrgUnit
from yingji.core.requests import ApiRequest, Text

MAX_IMPORT_BYTES = 10 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = Callable[[Any], Any]


@dataclass(frozen=True)
class Registry:
    """One plain-CRUD registry: what it stores, who may write what, and how it is listed and shown."""

    slug: str  # URL segment of the API and pages: "experts"
    name: str  # URL name prefix of the pages: "expert"
    model: type[models.Model]
    title: Text
    fields: tuple[str, ...]  # the fields the API writes, in order (the service's field list)
    out: type[Schema]  # the read schema
    filters: type[Schema]
    list_rows: Callable[..., Any]  # selector(user=, **filters) -> QuerySet
    get: Callable[[Any, int], Any]  # (user, pk) -> row in scope, else Http404
    create: Callable[..., Any]  # service(by=, **values)
    update: Callable[..., Any]  # service(by=, obj=, **values)
    # A field stored on another model (a team's code lives on its org unit): name -> (model, field name there).
    borrowed: dict[str, tuple[type[models.Model], str]] = field(default_factory=dict)
    required: tuple[str, ...] = ()  # required on create although the model would allow them empty
    annotations: dict[str, Any] = field(default_factory=dict)  # a write type the model cannot say (JSON lists)
    payload_ids: dict[str, type[models.Model]] = field(default_factory=lambda: {"org": OrgUnit})
    refetch: bool = False  # answer a write with `get` (rows the selector annotates)
    # Hand-written (create, patch) schemas, for rules the model cannot say (a check character, a unit's own fields);
    # `fields` and the derived schemas are then unused, and `borrowed` names fields that live elsewhere.
    schemas: tuple[type[Schema], type[Schema]] | None = None
    # Excel: `export_xlsx(user) -> bytes` and `import_xlsx(user, data) -> report (created, updated)`; with them the
    # registry gets /<slug>/export and /<slug>/import, and `sheet_title` names the download.
    export_xlsx: Callable[[Any], bytes] | None = None
    import_xlsx: Callable[[Any, bytes], Any] | None = None
    sheet_title: str = ""
    docs: dict[str, str] = field(default_factory=dict)  # operation docstrings by verb (list, get, create, update)
    # Pages.
    perm: str = ""  # model name in permissions ("materialitem"); defaults to the model's
    form: Any = None
    filter_form: Any = None
    columns: list[tuple[Text, Cell]] = field(default_factory=list)
    detail: list[tuple[Text, Cell]] = field(default_factory=list)

    @property
    def model_perm(self) -> str:
        return self.perm or self.model._meta.model_name or ""

    def model_field(self, name: str) -> "models.Field[Any, Any]":
        model, attr = self.borrowed.get(name, (self.model, name))
        found = model._meta.get_field(attr)
        assert isinstance(found, models.Field), f"{name} is not a concrete field"  # a registry writes own fields
        return found

    def values(self, user: Any, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
        """Written values from a validated payload: ids resolved inside the user's scope, nulls refused where the
        model cannot hold them."""
        values = dict(data)
        for name, value in values.items():
            if value is None and partial and not _nullable(self.model_field(name)):
                message = _("This field cannot be null.")
                raise ValidationFailed(f"{name}: {message}", {name: [message]})
        for name, model in self.payload_ids.items():
            if values.get(name) is not None:
                values[name] = resolve_in_scope(model, user, values[name], field=name)
        return values


def _nullable(model_field: "models.Field[Any, Any]") -> bool:
    return bool(model_field.null or (model_field.is_relation and model_field.many_to_one and model_field.null))


def _choices(model_field: "models.Field[Any, Any]") -> Any:
    values = tuple(value for value, _label in model_field.flatchoices)
    return Literal[values]


def _write_type(model_field: "models.Field[Any, Any]") -> tuple[Any, dict[str, Any]]:
    """The annotation and pydantic constraints a model field asks of written input."""
    if model_field.choices:
        return _choices(model_field), {}
    if model_field.is_relation:
        return int, {"ge": 1, "le": MAX_ID}
    if isinstance(model_field, models.BooleanField):
        return bool, {}
    if isinstance(model_field, models.DateTimeField):
        return datetime, {}
    if isinstance(model_field, models.DateField):
        return date, {}
    if isinstance(model_field, models.IntegerField):
        positive = isinstance(model_field, models.PositiveIntegerField | models.PositiveSmallIntegerField)
        return int, {"ge": 0 if positive else -MAX_QUANTITY, "le": MAX_QUANTITY}
    if isinstance(model_field, models.FloatField | models.DecimalField):
        return float, {"allow_inf_nan": False, "ge": -MAX_QUANTITY, "le": MAX_QUANTITY}
    if isinstance(model_field, models.CharField):
        return str, {"max_length": model_field.max_length, **({} if model_field.blank else {"min_length": 1})}
    if isinstance(model_field, models.TextField):
        return str, {"max_length": 10_000}
    return Any, {}


def write_schemas(registry: Registry) -> tuple[type[Schema], type[Schema]]:
    """The create and patch schemas of a registry, from its model's fields."""
    create_fields: dict[str, Any] = {}
    patch_fields: dict[str, Any] = {}
    for name in registry.fields:
        model_field = registry.model_field(name)
        annotation, constraints = _write_type(model_field)
        if name in registry.annotations:
            annotation = registry.annotations[name]
        nullable = _nullable(model_field)
        has_default = model_field.has_default() or model_field.blank or nullable
        if name in registry.required or not has_default:
            create_fields[name] = (annotation, FieldInfo(**constraints))
        else:
            default = model_field.get_default() if model_field.has_default() else ("" if not nullable else None)
            if isinstance(default, list):
                default = list(default)
            create_fields[name] = (
                Optional[annotation] if nullable else annotation,  # noqa: UP045 — a runtime annotation
                Field(default, **constraints),
            )
        patch_fields[name] = (Optional[annotation], Field(None, **constraints))  # noqa: UP045
    title = registry.model.__name__
    create = create_model(f"{title}In", __base__=Schema, **create_fields)
    patch = create_model(f"{title}Patch", __base__=Schema, **patch_fields)
    return create, patch


class ImportOut(Schema):
    created: int
    updated: int


def xlsx_response(content: bytes, *, slug: str, title: str) -> HttpResponse:
    """An .xlsx download named for the registry and the day."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{slug}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response


def read_upload(file: UploadedFile) -> bytes:
    """An uploaded file's bytes, refused past the import limit."""
    if (file.size or 0) > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is too large."), {"file": [_("At most 10 MB.")]})
    return file.read()


def _operation(func: Callable[..., Any], registry: Registry, verb: str) -> Callable[..., Any]:
    # The function's name is the operation id and URL name (`api:<slug>_<verb>`), as hand-written routes had.
    func.__name__ = f"{registry.slug}_{verb}"
    func.__doc__ = registry.docs.get(verb, func.__doc__)
    return func


def registry_api(router: Router, registry: Registry, *, pages: Any) -> None:
    """Mount a registry's list, get, create, patch, export and import on `router` (`pages`: the paginator)."""
    create_schema, patch_schema = registry.schemas or write_schemas(registry)
    out = registry.out
    filters_schema = registry.filters

    # The schemas are built at run time: ninja reads them from the annotations, the type checker cannot.
    def answer(request: ApiRequest, row: Any) -> Any:
        return registry.get(request.auth, row.pk) if registry.refetch else row

    def list_rows(request: ApiRequest, filters: Query[filters_schema]) -> Any:  # type: ignore[valid-type]
        return registry.list_rows(user=request.auth, **cast(Schema, filters).dict())

    def get_row(request: ApiRequest, pk: int) -> Any:
        return registry.get(request.auth, pk)

    def create_row(request: ApiRequest, payload: create_schema) -> Any:  # type: ignore[valid-type]
        values = registry.values(request.auth, cast(Schema, payload).dict(), partial=False)
        return Status(201, answer(request, registry.create(by=request.auth, **values)))

    def update_row(request: ApiRequest, pk: int, payload: patch_schema) -> Any:  # type: ignore[valid-type]
        row = registry.get(request.auth, pk)
        values = registry.values(request.auth, cast(Schema, payload).dict(exclude_unset=True), partial=True)
        return answer(request, registry.update(by=request.auth, obj=row, **values))

    base = f"/{registry.slug}"
    router.add_api_operation(
        base,
        ["GET"],
        paginate(pages)(_operation(list_rows, registry, "list")),
        response=list[out],  # type: ignore[valid-type]  # the registry's read schema, a value
    )
    router.add_api_operation(f"{base}/{{int:pk}}", ["GET"], _operation(get_row, registry, "get"), response=out)
    router.add_api_operation(base, ["POST"], _operation(create_row, registry, "create"), response={201: out})
    router.add_api_operation(f"{base}/{{int:pk}}", ["PATCH"], _operation(update_row, registry, "update"), response=out)
    if registry.export_xlsx is not None and registry.import_xlsx is not None:
        _excel_api(router, registry)


def registry_xlsx(registry: Registry, user: Any) -> HttpResponse:
    """The registry as an .xlsx download (API and pages); every export is audited."""
    assert registry.export_xlsx is not None, "only registries with an Excel sheet are exported"
    title = registry.sheet_title or registry.slug
    response = xlsx_response(registry.export_xlsx(user), slug=registry.slug, title=title)
    audit_export(actor=user, what=f"{registry.model._meta.app_label}.{registry.slug}", filename=f"{title}.xlsx")
    return response


def _excel_api(router: Router, registry: Registry) -> None:
    slug = registry.slug

    import_xlsx = registry.import_xlsx
    assert import_xlsx is not None

    def export(request: ApiRequest) -> HttpResponse:
        return registry_xlsx(registry, request.auth)

    def import_(request: ApiRequest, file: File[UploadedFile]) -> dict[str, int]:
        report = import_xlsx(request.auth, read_upload(file))
        return {"created": report.created, "updated": report.updated}

    export.__name__, import_.__name__ = f"{slug}_export", f"{slug}_import"
    export.__doc__ = f"The {slug} registry as an .xlsx file (same columns as the import)."
    import_.__doc__ = f"Import {slug} from an .xlsx file: all rows or none; errors as 第N行 字段: 原因."
    router.add_api_operation(f"/{slug}/export", ["GET"], export, url_name=f"{slug}-export")
    router.add_api_operation(f"/{slug}/import", ["POST"], import_, response=ImportOut, url_name=f"{slug}-import")


def by_slug(registries: Iterable[Registry]) -> dict[str, Registry]:
    return {registry.slug: registry for registry in registries}


def _admin_cell(label: Text, cell: Cell) -> Callable[[Any], Any]:
    def show(obj: Any) -> Any:
        return cell(obj)

    return admin.display(description=label)(show)


def _admin_filter(model: type[models.Model], name: str) -> bool:
    """A filter of the registry the admin can offer as a side filter: a choice or yes/no field of the model."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(model_field, "choices", None)) or isinstance(model_field, models.BooleanField)


def registry_admin(
    registry: Registry, *, site: admin.AdminSite = admin.site, extra_filters: tuple[str, ...] = (), **attrs: Any
) -> type[admin.ModelAdmin]:
    """Register the registry's model in the admin, following its declaration: the rows are the registry's selector
    (the user's scope, with the annotations its columns read), the columns its list columns, the side filters its
    choice and yes/no filters, the search its `q` filter. Saving goes through its create and update services (so it
    is checked, scoped and audited); fields the update service does not write and fields the service computes are
    read-only; nothing is deleted. `attrs` adds to the class (inlines), `extra_filters` to the side filters."""
    model = registry.model
    filter_names = [name for name in registry.filters.model_fields if name != "q" and _admin_filter(model, name)]
    searchable = "q" in registry.filters.model_fields
    computed = tuple(
        f.name for f in model._meta.concrete_fields if not f.editable and not f.primary_key and not f.auto_created
    )
    kept = tuple(  # editable fields the update service leaves alone: written once, on create
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in registry.fields and f.name not in registry.borrowed
    )

    class RegistryAdmin(admin.ModelAdmin):
        list_display = ("__str__", *(_admin_cell(label, cell) for label, cell in registry.columns))
        list_filter = (*filter_names, *extra_filters)
        # Searched by the registry's own `q` filter (get_search_results), as on the pages and in the API.
        search_fields = ("q",) if searchable else ()
        autocomplete_fields = tuple(
            f.name for f in model._meta.concrete_fields if f.is_relation and f.editable and f.name != "id"
        )
        list_per_page = 50

        def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
            return registry.list_rows(user=request.user)

        def get_search_results(
            self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
        ) -> tuple[models.QuerySet[Any], bool]:
            if not search_term.strip():
                return queryset, False
            found = registry.list_rows(user=request.user, q=search_term.strip()).values("pk")
            return queryset.filter(pk__in=found), False

        def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
            return computed + (kept if obj is not None else ())

        def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False  # registries are kept: rows are referenced by the ledger, dispatches and the audit chain

        def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
            data = form.cleaned_data
            if change:
                current = model._default_manager.get(pk=obj.pk)
                values = {name: data[name] for name in registry.fields if name in data}
                saved = registry.update(by=request.user, obj=current, **values)
            else:
                saved = registry.create(by=request.user, **data)
            obj.pk = saved.pk

    RegistryAdmin.__name__ = RegistryAdmin.__qualname__ = f"{model.__name__}Admin"
    admin_class = type(RegistryAdmin.__name__, (RegistryAdmin,), dict(attrs))
    site.register(model, admin_class)
    return admin_class
