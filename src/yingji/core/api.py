"""API of the foundation: health, tokens, the org tree, the audit chain, map layers."""

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from yingji import __version__
from yingji.core import selectors, services
from yingji.core.audit import audit_verify
from yingji.core.backends import client_ip
from yingji.core.errors import NotAllowed
from yingji.core.inputs import MAX_ID
from yingji.core.maplayers import LAYERS, VIEW_LAYERS, BBox, FeatureCollection, parse_viewport
from yingji.core.maplayers import layer as map_layer_features
from yingji.core.models import ApiToken, Notification, OrgKind, OrgUnit
from yingji.core.notify import notification_list, notification_mark_read
from yingji.core.passwords import password_expired
from yingji.core.requests import ApiRequest
from yingji.core.roles import mfa_required

router = Router()


class Pages(PageNumberPagination):
    """The API paginator: `page` and `page_size` (at most 500). Ninja keeps one paginator per endpoint for
    every request, so the page size is worked out per call and never stored on the instance."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_ID)
        page_size: int = Field(50, ge=1, le=500)

    # ninja passes an instance of `self.Input`: ours, with its bounds, where the base class names its own.
    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest | None = None, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        # A page past what an SQL OFFSET can express is simply empty.
        items = queryset[offset : offset + size] if offset + size <= MAX_ID else queryset[:0]
        return {self.items_attribute: items, "count": self._items_count(queryset)}

    async def apaginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest | None = None, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        items = queryset[offset : offset + size] if offset + size <= MAX_ID else queryset[:0]
        return {self.items_attribute: [row async for row in items], "count": await self._aitems_count(queryset)}


class ErrorOut(Schema):
    detail: str


class HealthOut(Schema):
    status: str
    version: str
    database: str


@router.get("/health", auth=None, response=HealthOut, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    """Liveness and which database the platform runs on."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "version": __version__, "database": connection.vendor}


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)
    name: str = Field("", max_length=80)
    otp: str = Field(
        "", max_length=20, description="the authenticator's code (or a recovery code) when the user has one"
    )


class TokenIssued(Schema):
    token: str
    id: int
    prefix: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    user: str = Field(..., alias="user.username")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.post("/auth/token", auth=None, response={200: TokenIssued, 401: ErrorOut, 403: ErrorOut}, tags=["auth"])
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    """Exchange a username and password (and the authenticator's code, `otp`, for a user with two-factor
    sign-in) for an API token (shown once)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if services.is_locked_out(payload.username, client_ip(request)):
            return Status(401, {"detail": _("account locked after repeated failed sign-ins; try again later")})
        return Status(401, {"detail": _("invalid username or password")})
    if services.mfa_enabled(user):
        if not payload.otp:
            return Status(401, {"detail": _("this account signs in with two factors: give the code as `otp`")})
        if not services.mfa_verify(user=user, code=payload.otp, ip=client_ip(request)):
            return Status(401, {"detail": _("wrong two-factor code")})
    elif mfa_required(user):
        return Status(403, {"detail": _("your role requires two-factor sign-in: set it up on the account page first")})
    if password_expired(user):
        return Status(403, {"detail": _("your password is temporary or expired: change it on the account page first")})
    token, raw = services.token_issue(user=user, name=payload.name)
    return Status(200, {"token": raw, "id": token.pk, "prefix": token.prefix})


class PasswordIn(Schema):
    old_password: str = Field(..., min_length=1, max_length=4096)
    new_password: str = Field(..., min_length=1, max_length=4096)


@router.post("/auth/password", response={204: None}, tags=["auth"])
def password_change(request: ApiRequest, payload: PasswordIn) -> Status:
    """Change your own password: at least 10 characters of three classes, none of your last 5."""
    services.password_change(user=request.auth, old_password=payload.old_password, new_password=payload.new_password)
    return Status(204, None)


@router.get("/auth/tokens", response=list[TokenOut], tags=["auth"])
@paginate(Pages)
def tokens_list(request: ApiRequest) -> QuerySet[ApiToken]:
    """Your tokens; an administrator sees everyone's."""
    return selectors.token_list(user=request.auth)


@router.delete("/auth/tokens/{token_id}", response=TokenOut, tags=["auth"])
def token_delete(request: ApiRequest, token_id: int) -> ApiToken:
    """Revoke a token (its owner or an administrator)."""
    token = selectors.token_get(user=request.auth, token_id=token_id)
    return services.token_revoke(by=request.auth, token=token)


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    parent: int | None = Field(None, alias="parent_id")
    parent_name: str | None = Field(None, alias="parent.name")
    path: str
    lat: float | None
    lon: float | None
    address: str
    contact: str
    phone: str
    industry: str
    illustrative: bool
    active: bool
    children_count: int = 0


class OrgFilters(Schema):
    kind: OrgKind | None = None
    parent: int | None = Field(None, ge=1)
    q: str | None = Field(None, max_length=100)


@router.get("/orgs", response=list[OrgOut], tags=["orgs"])
@paginate(Pages)
def orgs_list(request: ApiRequest, filters: Query[OrgFilters]) -> QuerySet[OrgUnit]:
    """The org tree as far as you may see it; filter by `kind`, `parent`, or search with `q`."""
    return selectors.org_list(user=request.auth, kind=filters.kind, parent=filters.parent, q=filters.q)


@router.get("/orgs/{org_id}", response=OrgOut, tags=["orgs"])
def orgs_get(request: ApiRequest, org_id: int) -> OrgUnit:
    return selectors.org_get(user=request.auth, org_id=org_id)


class ChainOut(Schema):
    ok: bool
    entries: int
    first_bad_seq: int | None
    problem: str


@router.get("/audit/verify", response=ChainOut, tags=["audit"])
def audit_chain_verify(request: ApiRequest) -> dict[str, Any]:
    """Check the audit chain end to end (whoever may read the audit log: the audit administrator)."""
    if not request.auth.has_perm("core.view_auditentry"):
        raise NotAllowed(_("audit administrators only"))
    return audit_verify().as_dict()


@router.get("/map/layers/{layer}", tags=["map"])
def map_layer(
    request: ApiRequest,
    layer: str,
    bbox: str | None = Query(None, max_length=200),  # noqa: B008
    zoom: float | None = None,
) -> FeatureCollection:
    """A GeoJSON FeatureCollection of one map layer, scoped to you; `bbox=west,south,east,north` keeps only the
    features meeting that window. Base-map layers (roads, water, railways, places) also take `zoom` and send only
    what that view shows."""
    if layer in VIEW_LAYERS:
        return LAYERS[layer](request.auth, view=parse_viewport(bbox, zoom))
    found = map_layer_features(layer, request.auth, bbox=BBox.parse(bbox) if bbox is not None else None)
    if found is None:
        raise Http404
    return found


class NotificationOut(Schema):
    id: int
    category: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Schema):
    ids: list[int] | None = Field(None, description="omit to mark everything read")


class MarkReadOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut], tags=["notifications"])
@paginate(Pages)
def notifications_list(request: ApiRequest, unread: bool = False) -> QuerySet[Notification]:
    """Your inbox, newest first; `unread=true` for the unread ones."""
    return notification_list(user=request.auth, unread=unread)


@router.post("/notifications/read", response=MarkReadOut, tags=["notifications"])
def notifications_read(request: ApiRequest, payload: MarkReadIn) -> dict[str, int]:
    return {"marked": notification_mark_read(user=request.auth, ids=payload.ids)}
