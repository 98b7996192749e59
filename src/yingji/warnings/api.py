"""API of early warnings: draft, approve, publish, update, cancel, list, CAP 1.2 out and in."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yingji.core.access import get_scoped_or_404
from yingji.core.api import Pages
from yingji.core.auth import api_auth
from yingji.core.errors import ValidationFailed
from yingji.core.models import OrgUnit, User, WarningLevel
from yingji.core.requests import ApiRequest
from yingji.warnings import cap, selectors, services
from yingji.warnings.lifecycle import allowed_actions
from yingji.warnings.models import EarlyWarning, EventType
from yingji.warnings.models import Status as WarningStatus

router = Router(tags=["warnings"])


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Let the public in: published warnings need no sign-in."""
    return AnonymousUser()


PUBLIC = [*api_auth, anonymous]


class PublicRequest(HttpRequest):
    """A request to an operation open to the public: `auth` is the signed-in user, or AnonymousUser."""

    auth: User | AnonymousUser


class StreetOut(Schema):
    id: int
    code: str
    name: str


class WarningOut(Schema):
    id: int
    identifier: str
    sender: str
    sender_name: str
    msg_type: str
    references: int | None = Field(None, alias="references_id")
    source: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    event_type: str
    event_type_label: str = Field(..., alias="get_event_type_display")
    event: str
    level: str
    level_label: str = Field(..., alias="get_level_display")
    headline: str
    description: str
    instruction: str
    area_desc: str
    area_streets: list[StreetOut] = Field(..., alias="streets")
    area_polygon: dict[str, Any] | None
    effective: datetime
    expires: datetime | None
    sent: datetime | None
    exercise: bool
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    actions: list[str]
    cap_url: str

    @staticmethod
    def resolve_area_streets(obj: EarlyWarning) -> list[OrgUnit]:
        return list(obj.streets.all())

    @staticmethod
    def resolve_actions(obj: EarlyWarning) -> list[str]:
        return list(allowed_actions(status=obj.status, msg_type=obj.msg_type, source=obj.source))

    @staticmethod
    def resolve_cap_url(obj: EarlyWarning) -> str:
        return f"/api/v1/warnings/{obj.pk}/cap"


class WarningIn(Schema):
    event_type: EventType
    level: WarningLevel
    headline: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    instruction: str = Field("", max_length=5000)
    area_streets: list[int | str] = Field(default_factory=list, description="street ids or names")
    area_polygon: dict[str, Any] | None = Field(None, description="GeoJSON Polygon or MultiPolygon (WGS84)")
    area_desc: str = Field("", max_length=500)
    effective: datetime | None = None
    expires: datetime
    exercise: bool = False


class WarningChangeIn(Schema):
    """Fields to change; what is left out stays as it is."""

    event_type: EventType | None = None
    level: WarningLevel | None = None
    headline: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=5000)
    instruction: str | None = Field(None, max_length=5000)
    area_streets: list[int | str] | None = None
    area_polygon: dict[str, Any] | None = None
    area_desc: str | None = Field(None, max_length=500)
    effective: datetime | None = None
    expires: datetime | None = None


class CancelIn(Schema):
    reason: str = Field("", max_length=2000)


class WarningFilters(Schema):
    level: WarningLevel | None = None
    status: WarningStatus | None = None
    event_type: EventType | None = None
    q: str | None = Field(None, max_length=100)


def _streets(request: ApiRequest, values: list[int | str] | None) -> list[OrgUnit] | None:
    if values is None:
        return None
    streets, unknown = selectors.streets_resolve(user=request.auth, values=values)
    if unknown:
        message = f"unknown street: {', '.join(unknown)}"
        raise ValidationFailed(message, {"area_streets": [message]})
    return streets


def _changes(payload: WarningChangeIn) -> dict[str, Any]:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "area_streets"}


def _mine(request: ApiRequest, warning_id: int) -> EarlyWarning:
    """A warning the caller's unit may act on (issued within their scope), else 404."""
    return get_scoped_or_404(EarlyWarning.objects.select_related("org"), request.auth, pk=warning_id)


@router.get("/warnings", auth=PUBLIC, response=list[WarningOut])
@paginate(Pages)
def warnings_list(request: PublicRequest, filters: Query[WarningFilters]) -> QuerySet[EarlyWarning]:
    """Warnings: everything published (no sign-in needed), and drafts of units in your scope."""
    return selectors.warning_list(user=request.auth, **filters.dict())


@router.post("/warnings", response={201: WarningOut})
def warnings_create(request: ApiRequest, payload: WarningIn) -> Status[EarlyWarning]:
    """Draft a warning; your unit issues it."""
    warning = services.warning_create(
        by=request.auth,
        streets=_streets(request, payload.area_streets) or [],
        **payload.dict(exclude={"area_streets"}),
    )
    return Status(201, warning)


@router.post("/warnings/import", response={201: WarningOut})
def warnings_import(request: ApiRequest) -> Status[EarlyWarning]:
    """Import another agency's CAP 1.2 message (the request body, application/cap+xml or application/xml):
    201 with the warning, or 400 naming the schema error and its line."""
    return Status(201, services.warning_import(by=request.auth, document=request.body))


@router.get("/warnings/{warning_id}", auth=PUBLIC, response=WarningOut)
def warnings_get(request: PublicRequest, warning_id: int) -> EarlyWarning:
    return selectors.warning_get(user=request.auth, warning_id=warning_id)


@router.patch("/warnings/{warning_id}", response=WarningOut)
def warnings_edit(request: ApiRequest, warning_id: int, payload: WarningChangeIn) -> EarlyWarning:
    """Change a draft or an approved warning (an approved one needs approval again)."""
    warning = _mine(request, warning_id)
    streets = _streets(request, payload.area_streets)
    return services.warning_edit(by=request.auth, warning=warning, streets=streets, **_changes(payload))


@router.post("/warnings/{warning_id}/approve", response=WarningOut)
def warnings_approve(request: ApiRequest, warning_id: int) -> EarlyWarning:
    """Approve a draft (commanders and administrators)."""
    return services.warning_approve(by=request.auth, warning=_mine(request, warning_id))


@router.post("/warnings/{warning_id}/publish", response=WarningOut)
def warnings_publish(request: ApiRequest, warning_id: int) -> EarlyWarning:
    """Publish an approved warning as CAP 1.2 and notify subscribers."""
    return services.warning_publish(by=request.auth, warning=_mine(request, warning_id))


@router.post("/warnings/{warning_id}/update", response={201: WarningOut})
def warnings_update(request: ApiRequest, warning_id: int, payload: WarningChangeIn) -> Status[EarlyWarning]:
    """Draft an Update message for a published warning, with the given changes."""
    warning = _mine(request, warning_id)
    streets = _streets(request, payload.area_streets)
    successor = services.warning_update(by=request.auth, warning=warning, streets=streets, **_changes(payload))
    return Status(201, successor)


@router.post("/warnings/{warning_id}/cancel", response=WarningOut)
def warnings_cancel(request: ApiRequest, warning_id: int, payload: CancelIn) -> EarlyWarning:
    """Discard a draft, or cancel a published warning with a Cancel message (returned)."""
    return services.warning_cancel(by=request.auth, warning=_mine(request, warning_id), reason=payload.reason)


@router.get("/warnings/{warning_id}/cap", auth=PUBLIC)
def warnings_cap(request: PublicRequest, warning_id: int) -> HttpResponse:
    """The warning as CAP 1.2 XML; published ones for anyone, drafts (status Draft) within your scope."""
    warning = selectors.warning_get(user=request.auth, warning_id=warning_id)
    response = HttpResponse(services.cap_document(warning), content_type=f"{cap.MIME_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="warning-{warning.pk}.xml"'
    return response
