"""API of the public side. `/public/…` needs no sign-in and never returns personal data; `/portal/…` is the
staff's (answering questions, handling leads)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import HttpRequest, JsonResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import field_validator

from yingji.core.access import get_scoped_or_404, resolve_in_scope
from yingji.core.api import Pages
from yingji.core.requests import ApiRequest
from yingji.incidents.models import IncidentType
from yingji.portal import selectors, services
from yingji.portal.models import Lead, LeadKind, LeadStatus, Question, QuestionCategory, QuestionStatus
from yingji.portal.places import place_search
from yingji.portal.ratelimit import rate_hit
from yingji.portal.services import Photo, RateLimited
from yingji.risk.models import DangerGrade

router = Router(tags=["portal"])


def client_address(request: HttpRequest) -> str:
    """The address public posts are counted under (the proxy in front must set REMOTE_ADDR to the client's)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many(exc: RateLimited) -> JsonResponse:
    response = JsonResponse(
        {"detail": "too many posts from this address; try again later", "retry_after_s": exc.retry_after_s},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after_s)
    return response


def _receipt_or_429(post: Callable[[], Question | Lead]) -> Any:
    """Run a public post: 201 with its receipt code, or 429 with Retry-After when the address posted too often."""
    try:
        row = post()
    except RateLimited as exc:
        return too_many(exc)
    return Status(201, {"receipt": row.receipt, "status": row.status})


# --- public -----------------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class PublicWarningOut(Schema):
    id: int
    event_type: str
    event_type_label: str
    level: str
    level_label: str
    headline: str
    description: str
    instruction: str
    area: str
    sender_name: str
    effective: datetime
    expires: datetime | None
    sent: datetime | None
    guide: list[str]
    guide_verified: bool = Field(..., description="the national 防御指南 text (true) or general advice (false)")


@router.get("/public/warnings", auth=None, response=list[PublicWarningOut], tags=["public"])
def public_warnings(request: HttpRequest) -> Any:
    """Warnings in force with what to do (防御指南), most severe first. No sign-in."""
    return [
        {
            "id": c["warning"].pk,
            "event_type": c["warning"].event_type,
            "event_type_label": c["warning"].get_event_type_display(),
            "level": c["warning"].level,
            "level_label": c["warning"].get_level_display(),
            "headline": c["warning"].headline,
            "description": c["warning"].description,
            "instruction": c["warning"].instruction,
            "area": c["warning"].area_desc or "、".join(s.name for s in c["warning"].streets.all()),
            "sender_name": c["warning"].sender_name,
            "effective": c["warning"].effective,
            "expires": c["warning"].expires,
            "sent": c["warning"].sent,
            "guide": c["guide"],
            "guide_verified": c["guide_verified"],
        }
        for c in selectors.public_warning_cards()
    ]


class NearestQuery(Schema):
    lat: float = Field(..., ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(..., ge=-180, le=180, allow_inf_nan=False)
    limit: int = Field(5, ge=1, le=20)


class RouteOut(Schema):
    type: str
    coordinates: list[list[float]]


class ShelterNearOut(Schema):
    id: int
    name: str
    address: str
    shelter_class: str
    shelter_class_label: str
    lat: float
    lon: float
    capacity: int
    free_capacity: int
    eta_s: float
    distance_m: float
    route: RouteOut


@router.get("/public/shelters/nearest", auth=None, response={200: list[ShelterNearOut], 429: ErrorOut}, tags=["public"])
def public_shelters_nearest(request: HttpRequest, query: Query[NearestQuery]) -> Any:
    """Open shelters with free places, ordered by walking time from the point (eta_s, on the road network).
    429 with Retry-After when this address searches too often."""
    decision = rate_hit(scope="nearest", address=client_address(request))
    if not decision.allowed:
        return too_many(RateLimited(decision))
    return selectors.nearest_shelters(lat=query.lat, lon=query.lon, limit=query.limit)


class PlaceQuery(Schema):
    q: str = Field(..., min_length=1, max_length=60, description="an address or a place name as people write it")
    limit: int = Field(6, ge=1, le=20)


class PlaceOut(Schema):
    name: str
    kind: str
    kind_label: str
    lat: float
    lon: float


@router.get("/public/places", auth=None, response={200: list[PlaceOut], 429: ErrorOut}, tags=["public"])
def public_places(request: HttpRequest, query: Query[PlaceQuery]) -> Any:
    """Places that answer a typed address (shelters, communities, streets, roads, base-map place names), best
    first; offline, from the platform's own data. Feed the best one's lat/lon to /public/shelters/nearest."""
    decision = rate_hit(scope="nearest", address=client_address(request))
    if not decision.allowed:
        return too_many(RateLimited(decision))
    return place_search(query.q, limit=query.limit)


class QuestionIn(Schema):
    category: QuestionCategory
    text: str = Field(..., min_length=1, max_length=2000)
    contact: str = Field("", max_length=100, description="optional; never published")
    website: str = Field("", max_length=200, description="leave empty (a trap for bots)")


class ReceiptOut(Schema):
    receipt: str
    status: str


@router.post("/public/questions", auth=None, response={201: ReceiptOut, 429: ErrorOut}, tags=["public"])
def public_question_ask(request: HttpRequest, payload: QuestionIn) -> Any:
    """Ask the bureau a question. 429 with Retry-After when this address has asked too often."""
    return _receipt_or_429(
        lambda: services.question_ask(
            address=client_address(request),
            category=payload.category,
            text=payload.text,
            contact=payload.contact,
            honeypot=payload.website,
        )
    )


class QuestionPublicOut(Schema):
    receipt: str
    category: str
    text: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    answer: str
    asked_at: datetime
    answered_at: datetime | None


@router.get("/public/questions/{receipt}", auth=None, response=QuestionPublicOut, tags=["public"])
def public_question_status(request: HttpRequest, receipt: str) -> Any:
    """A question and its answer by receipt code (no contact details)."""
    return selectors.question_by_receipt(receipt=receipt[:16])


class FaqOut(Schema):
    id: int
    category: str
    title: str = Field(..., alias="faq_title")
    question: str = Field(..., alias="text")
    answer: str
    answered_at: datetime | None


class FaqFilters(Schema):
    category: QuestionCategory | None = None
    q: str | None = Field(None, max_length=100)


@router.get("/public/faq", auth=None, response=list[FaqOut], tags=["public"])
@paginate(Pages)
def public_faq(request: HttpRequest, filters: Query[FaqFilters]) -> Any:
    return selectors.faq_list(category=filters.category, q=filters.q)


class LeadIn(Schema):
    kind: LeadKind
    description: str = Field(..., min_length=1, max_length=2000)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    place: str = Field("", max_length=200)
    contact: str = Field("", max_length=100)
    website: str = Field("", max_length=200)

    @field_validator("lat", "lon", mode="before")
    @classmethod
    def blank_is_none(cls, value: object) -> object:
        # A form without a location sends the hidden fields empty.
        return None if value == "" else value


def read_photo(upload: DjangoUploadedFile | None) -> Photo | None:
    """An upload's bytes, refusing an oversized one before reading it."""
    if upload is None:
        return None
    services.PHOTOS.check_size(upload.size or 0)
    return Photo(content=upload.read(), name=upload.name or "")


@router.post("/public/leads", auth=None, response={201: ReceiptOut, 429: ErrorOut}, tags=["public"])
def public_lead_report(request: HttpRequest, payload: Form[LeadIn], photo: File[UploadedFile | None] = None) -> Any:
    """Report a hazard (随手拍): multipart form with an optional photo (JPEG, PNG or WebP, at most 5 MB)."""
    return _receipt_or_429(
        lambda: services.lead_report(
            address=client_address(request),
            kind=payload.kind,
            description=payload.description,
            lat=payload.lat,
            lon=payload.lon,
            place=payload.place,
            contact=payload.contact,
            photo=read_photo(photo),
            honeypot=payload.website,
        )
    )


class LeadPublicOut(Schema):
    receipt: str
    kind: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    public_note: str
    reported_at: datetime
    handled_at: datetime | None
    danger_status: str | None = Field(
        None, alias="danger.status", description="progress of the hidden danger it was accepted as, if any"
    )
    danger_status_label: str | None = Field(None, alias="danger.get_status_display")
    danger_closed_at: datetime | None = Field(None, alias="danger.closed_at")


@router.get("/public/leads/{receipt}", auth=None, response=LeadPublicOut, tags=["public"])
def public_lead_status(request: HttpRequest, receipt: str) -> Any:
    """Follow a hazard report by its receipt code."""
    return selectors.lead_by_receipt(receipt=receipt[:16])


# --- staff ------------------------------------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    receipt: str
    category: str
    text: str
    contact: str
    status: str
    answer: str
    faq: bool
    faq_title: str
    asked_at: datetime
    answered_at: datetime | None
    answered_by: str | None = Field(None, alias="answered_by.username")


class QuestionFilters(Schema):
    status: QuestionStatus | None = None
    q: str | None = Field(None, max_length=100)


@router.get("/portal/questions", response=list[QuestionOut])
@paginate(Pages)
def questions_list(request: ApiRequest, filters: Query[QuestionFilters]) -> Any:
    return selectors.question_list(user=request.auth, status=filters.status, q=filters.q)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=4000)
    faq: bool = False
    faq_title: str = Field("", max_length=200)


@router.post("/portal/questions/{question_id}/answer", response=QuestionOut)
def question_answer(request: ApiRequest, question_id: int, payload: AnswerIn) -> Any:
    question = selectors.question_get(user=request.auth, question_id=question_id)
    return services.question_answer(by=request.auth, question=question, **payload.dict())


class StatsOut(Schema):
    days: int
    asked: int
    answered: int
    waiting: int
    median_h: float | None
    mean_h: float | None
    max_h: float | None
    within_24h: int


@router.get("/portal/questions-stats", response=StatsOut)
def questions_stats(request: ApiRequest, days: int = Query(30, ge=1, le=3660)) -> Any:
    """Response times of the consultation column over the last `days`."""
    return selectors.response_stats(user=request.auth, days=days)


class LeadOut(Schema):
    id: int
    receipt: str
    kind: str
    description: str
    lat: float | None
    lon: float | None
    address: str
    contact: str
    photo_sha256: str
    photo_type: str
    photo_bytes: int
    org: int = Field(..., alias="org_id")
    street: str = Field(..., alias="org.name")
    status: str
    public_note: str
    incident: int | None = Field(None, alias="incident_id")
    danger: int | None = Field(None, alias="danger_id")
    danger_status: str | None = Field(None, alias="danger.status")
    reported_at: datetime
    handled_at: datetime | None


class LeadFilters(Schema):
    status: LeadStatus | None = None


@router.get("/portal/leads", response=list[LeadOut])
@paginate(Pages)
def leads_list(request: ApiRequest, filters: Query[LeadFilters]) -> Any:
    return selectors.lead_list(user=request.auth, status=filters.status)


class LeadIncidentIn(Schema):
    type: int = Field(..., ge=1, le=2**63 - 1)
    title: str = Field("", max_length=200)
    note: str = Field("", max_length=300)


class LeadIncidentOut(Schema):
    lead: LeadOut
    incident: int


def _lead(request: ApiRequest, lead_id: int) -> Lead:
    if not request.auth.has_perm("portal.view_lead"):
        return get_scoped_or_404(Lead.objects.none(), request.auth, lead_id)
    return get_scoped_or_404(Lead, request.auth, lead_id)


@router.post("/portal/leads/{lead_id}/incident", response={201: LeadIncidentOut})
def lead_incident(request: ApiRequest, lead_id: int, payload: LeadIncidentIn) -> Any:
    """Turn a lead into an incident on the duty desk."""
    lead = _lead(request, lead_id)
    kind = resolve_in_scope(IncidentType.objects.filter(active=True), None, payload.type, field="type", required=True)
    assert kind is not None  # required=True: the resolver raised on a missing type
    lead, incident = services.lead_to_incident(
        by=request.auth, lead=lead, type=kind, title=payload.title, note=payload.note
    )
    return Status(201, {"lead": lead, "incident": incident.pk})


class LeadDangerIn(Schema):
    enterprise: int = Field(..., ge=1, le=2**63 - 1, description="the enterprise (org unit) where the hazard lies")
    grade: DangerGrade = DangerGrade.GENERAL
    title: str = Field("", max_length=200)
    note: str = Field("", max_length=300, description="what the reporter reads")


class LeadDangerOut(Schema):
    lead: LeadOut
    danger: int


@router.post("/portal/leads/{lead_id}/danger", response={201: LeadDangerOut})
def lead_danger(request: ApiRequest, lead_id: int, payload: LeadDangerIn) -> Any:
    """Accept a lead as a hidden danger of an enterprise (the risk app's closed loop follows; needs
    risk.add_hiddendanger and the enterprise in scope)."""
    lead, danger = services.lead_to_danger(by=request.auth, lead=_lead(request, lead_id), **payload.dict())
    return Status(201, {"lead": lead, "danger": danger.pk})


class DismissIn(Schema):
    note: str = Field(..., min_length=1, max_length=300)


@router.post("/portal/leads/{lead_id}/dismiss", response=LeadOut)
def lead_dismiss(request: ApiRequest, lead_id: int, payload: DismissIn) -> Any:
    return services.lead_dismiss(by=request.auth, lead=_lead(request, lead_id), note=payload.note)
