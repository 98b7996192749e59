"""API of disaster relief: events, damage reports, households, distributions from stock, volunteers and
call-outs, social organisations, compensation and rewards. Scoped like every other API."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yingji.core.access import get_scoped_or_404, org_in_scope, resolve_in_scope
from yingji.core.api import Pages
from yingji.core.models import ChannelConfig, OrgUnit
from yingji.core.requests import ApiRequest
from yingji.relief import excel, selectors, services
from yingji.relief.models import (
    Answer,
    Availability,
    AwardKind,
    AwardStatus,
    CallOut,
    Hazard,
    Household,
    SocialOrganisation,
    Stage,
    Volunteer,
)
from yingji.resources.models import MaterialItem, Team, Warehouse

router = Router(tags=["relief"])
T = TypeVar("T")


def _given(row: T | None) -> T:
    """A row resolved with `required=True`: the resolver raised on a missing one, so it is there."""
    assert row is not None
    return row


def _org(request: ApiRequest, org: int | None) -> OrgUnit:
    return _given(org_in_scope(request.auth, org, required=True))


def _create_in_org(request: ApiRequest, payload: Schema, create: Callable[..., Any], **related: Any) -> Status:
    """Create a row owned by the unit the payload's `org` names (in the caller's scope): 201 with it."""
    data = {**payload.dict(), **related}
    return Status(201, create(by=request.auth, org=_org(request, data.pop("org")), **data))


ID = Field(..., ge=1, le=2**63 - 1)
COUNT = Field(0, ge=0, le=10**9)
AREA = Field(Decimal("0"), ge=0, le=10**9, max_digits=12, decimal_places=2)


class EventIn(Schema):
    org: int | None = Field(None, ge=1, le=2**63 - 1, description="responsible unit; default your own")
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    hazard: Hazard
    started_on: date
    description: str = Field("", max_length=4000)


class EventOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    code: str
    name: str
    hazard: str
    started_on: date
    ended_on: date | None
    status: str
    description: str


@router.get("/relief/events", response=list[EventOut])
@paginate(Pages)
def events_list(request: ApiRequest, status: str | None = Query(None, max_length=10)) -> Any:
    return selectors.event_list(user=request.auth, status=status)


@router.post("/relief/events", response={201: EventOut})
def events_create(request: ApiRequest, payload: EventIn) -> Any:
    return _create_in_org(request, payload, services.event_create, org=payload.org or request.auth.org_id)


@router.get("/relief/events/{event_id}", response=EventOut)
def events_get(request: ApiRequest, event_id: int) -> Any:
    return selectors.event_get(user=request.auth, event_id=event_id)


class CloseIn(Schema):
    ended_on: date | None = None


@router.post("/relief/events/{event_id}/close", response=EventOut)
def events_close(request: ApiRequest, event_id: int, payload: CloseIn) -> Any:
    event = selectors.event_get(user=request.auth, event_id=event_id)
    return services.event_close(by=request.auth, event=event, ended_on=payload.ended_on)


class FiguresOut(Schema):
    affected_people: int
    deaths: int
    missing: int
    relocated: int
    need_aid: int
    collapsed_houses: int
    severely_damaged_houses: int
    generally_damaged_houses: int
    crop_affected_ha: Decimal
    crop_failed_ha: Decimal
    direct_loss_10k_yuan: Decimal


class ReportOut(FiguresOut):
    id: int
    event: int = Field(..., alias="event_id")
    street: int = Field(..., alias="org_id")
    street_name: str = Field(..., alias="org.name")
    stage: str
    reported_on: date
    notes: str
    created_at: datetime


class ReliefRowOut(Schema):
    street: str | None
    material: str
    unit: str
    quantity: int
    households: int


class StatsOut(Schema):
    reports: list[ReportOut]
    totals: FiguresOut
    relief: list[ReliefRowOut]
    households_served: int


@router.get("/relief/events/{event_id}/stats", response=StatsOut)
def events_stats(request: ApiRequest, event_id: int) -> Any:
    """Damage by street (each street's latest stage) with totals, and relief handed out by street and material."""
    event = selectors.event_get(user=request.auth, event_id=event_id)
    return selectors.event_stats(user=request.auth, event=event)


@router.get("/relief/events/{event_id}/export.xlsx")
def events_export(request: ApiRequest, event_id: int) -> Any:
    """The event's relief workbook (damage table, relief summary, distribution detail)."""
    return excel.event_download(user=request.auth, event=selectors.event_get(user=request.auth, event_id=event_id))


class ReportIn(Schema):
    event: int = ID
    street: int = ID
    stage: Stage
    reported_on: date | None = None
    notes: str = Field("", max_length=4000)
    affected_people: int = COUNT
    deaths: int = COUNT
    missing: int = COUNT
    relocated: int = COUNT
    need_aid: int = COUNT
    collapsed_houses: int = COUNT
    severely_damaged_houses: int = COUNT
    generally_damaged_houses: int = COUNT
    crop_affected_ha: Decimal = AREA
    crop_failed_ha: Decimal = AREA
    direct_loss_10k_yuan: Decimal = AREA


class ReportFilters(Schema):
    event: int | None = Field(None, ge=1, le=2**63 - 1)
    stage: Stage | None = None


@router.get("/relief/reports", response=list[ReportOut])
@paginate(Pages)
def reports_list(request: ApiRequest, filters: Query[ReportFilters]) -> Any:
    return selectors.report_list(user=request.auth, event=filters.event, stage=filters.stage)


@router.post("/relief/reports", response={201: ReportOut})
def reports_create(request: ApiRequest, payload: ReportIn) -> Any:
    """File a street's figures at the next stage (initial → verified → final); 409 names the allowed stage."""
    data = payload.dict()
    events = selectors.event_list(user=request.auth)
    event = _given(resolve_in_scope(events, None, data.pop("event"), field="event", required=True))
    street = _given(org_in_scope(request.auth, data.pop("street"), field="street", required=True))
    return Status(201, services.report_submit(by=request.auth, event=event, street=street, **data))


class HouseholdIn(Schema):
    org: int = ID
    code: str = Field(..., min_length=1, max_length=40)
    head_name: str = Field(..., min_length=1, max_length=60)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=200)
    members: int = Field(1, ge=1, le=100)


class HouseholdOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    org_name: str = Field(..., alias="org.name")
    code: str
    head_name: str
    phone: str
    address: str
    members: int


@router.get("/relief/households", response=list[HouseholdOut])
@paginate(Pages)
def households_list(request: ApiRequest, q: str | None = Query(None, max_length=100)) -> Any:
    return selectors.household_list(user=request.auth, q=q)


@router.post("/relief/households", response={201: HouseholdOut})
def households_create(request: ApiRequest, payload: HouseholdIn) -> Any:
    return _create_in_org(request, payload, services.household_create)


class DistributionIn(Schema):
    event: int = ID
    household: int = ID
    material: int = ID
    warehouse: int = ID
    quantity: int = Field(..., ge=1, le=10**9)
    signed_by: str = Field(..., min_length=1, max_length=60)
    override_reason: str = Field("", max_length=200)


class DistributionOut(Schema):
    id: int
    event: int = Field(..., alias="event_id")
    household: int = Field(..., alias="household_id")
    household_code: str = Field(..., alias="household.code")
    material: int = Field(..., alias="material_id")
    material_name: str = Field(..., alias="material.name")
    warehouse: int = Field(..., alias="warehouse_id")
    quantity: int
    signed_by: str
    distributed_at: datetime
    override_reason: str
    movements: list[int]


class DistributionFilters(Schema):
    event: int | None = Field(None, ge=1, le=2**63 - 1)
    household: int | None = Field(None, ge=1, le=2**63 - 1)


@router.get("/relief/distributions", response=list[DistributionOut])
@paginate(Pages)
def distributions_list(request: ApiRequest, filters: Query[DistributionFilters]) -> Any:
    """Distributions in scope; `household=` gives a household's history."""
    return selectors.distribution_list(user=request.auth, event=filters.event, household=filters.household)


@router.post("/relief/distributions", response={201: DistributionOut, 409: dict})
def distributions_create(request: ApiRequest, payload: DistributionIn) -> Any:
    """Hand relief to a household from a warehouse (a stock withdrawal); 409 on a repeat without a reason."""
    user = request.auth
    data = payload.dict()
    event = _given(
        resolve_in_scope(selectors.event_list(user=user), None, data.pop("event"), field="event", required=True)
    )
    household = _given(resolve_in_scope(Household, user, data.pop("household"), field="household", required=True))
    material = _given(resolve_in_scope(MaterialItem, None, data.pop("material"), field="material", required=True))
    warehouse = _given(resolve_in_scope(Warehouse, user, data.pop("warehouse"), field="warehouse", required=True))
    distribution = services.distribution_create(
        by=user, event=event, household=household, material=material, warehouse=warehouse, **data
    )
    return Status(201, distribution)


class VolunteerIn(Schema):
    org: int = ID
    name: str = Field(..., min_length=1, max_length=60)
    phone: str = Field(..., min_length=5, max_length=40)
    consent: bool
    skills: str = Field("", max_length=300)
    availability: Availability = Availability.ANYTIME
    team: int | None = Field(None, ge=1, le=2**63 - 1)


class VolunteerOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    name: str
    phone: str
    skills: str
    availability: str
    hours_served: Decimal
    team: int | None = Field(None, alias="team_id")
    consent_at: datetime
    active: bool


@router.get("/relief/volunteers", response=list[VolunteerOut])
@paginate(Pages)
def volunteers_list(request: ApiRequest, q: str | None = Query(None, max_length=100)) -> Any:
    return selectors.volunteer_list(user=request.auth, q=q)


@router.post("/relief/volunteers", response={201: VolunteerOut})
def volunteers_create(request: ApiRequest, payload: VolunteerIn) -> Any:
    team = resolve_in_scope(Team, request.auth, payload.team, field="team")
    return _create_in_org(request, payload, services.volunteer_register, team=team)


class HoursIn(Schema):
    hours: Decimal = Field(..., gt=0, le=24, max_digits=4, decimal_places=1)


@router.post("/relief/volunteers/{volunteer_id}/hours", response=VolunteerOut)
def volunteers_hours(request: ApiRequest, volunteer_id: int, payload: HoursIn) -> Any:
    volunteer = get_scoped_or_404(Volunteer, request.auth, volunteer_id)
    return services.volunteer_log_hours(by=request.auth, volunteer=volunteer, hours=payload.hours)


class CallOutIn(Schema):
    org: int = ID
    title: str = Field(..., min_length=1, max_length=200)
    message: str = Field(..., min_length=1, max_length=1000)
    volunteers: list[int] = Field(..., min_length=1, max_length=2000)
    event: int | None = Field(None, ge=1, le=2**63 - 1)
    wecom: int | None = Field(None, ge=1, le=2**63 - 1)


class ReplyOut(Schema):
    volunteer: int = Field(..., alias="volunteer_id")
    volunteer_name: str = Field(..., alias="volunteer.name")
    answer: str
    replied_at: datetime | None


class CallOutOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    title: str
    message: str
    created_at: datetime
    replies: list[ReplyOut]


@router.get("/relief/callouts", response=list[CallOutOut])
@paginate(Pages)
def callouts_list(request: ApiRequest) -> Any:
    return selectors.callout_list(user=request.auth)


@router.post("/relief/callouts", response={201: CallOutOut})
def callouts_create(request: ApiRequest, payload: CallOutIn) -> Any:
    """Call volunteers by SMS (the configured gateway) and optionally a WeChat Work group robot."""
    user = request.auth
    org = _org(request, payload.org)
    volunteers = [
        _given(resolve_in_scope(Volunteer, user, v, field="volunteers", required=True))
        for v in dict.fromkeys(payload.volunteers)
    ]
    event = resolve_in_scope(selectors.event_list(user=user), None, payload.event, field="event")
    wecom = resolve_in_scope(ChannelConfig, None, payload.wecom, field="wecom")
    callout = services.callout_send(
        by=user, org=org, title=payload.title, message=payload.message, volunteers=volunteers, event=event, wecom=wecom
    )
    return Status(201, CallOut.objects.prefetch_related("replies__volunteer").get(pk=callout.pk))


class ReplyIn(Schema):
    volunteer: int = ID
    answer: str = Field(..., min_length=1, max_length=20, description=f"{Answer.YES}/{Answer.NO}, or 1/2 as texted")


@router.post("/relief/callouts/{callout_id}/replies", response=ReplyOut)
def callouts_reply(request: ApiRequest, callout_id: int, payload: ReplyIn) -> Any:
    callout = get_scoped_or_404(CallOut, request.auth, callout_id)
    volunteer = _given(resolve_in_scope(Volunteer, request.auth, payload.volunteer, field="volunteer", required=True))
    return services.callout_reply(by=request.auth, callout=callout, volunteer=volunteer, answer=payload.answer)


class OrganisationIn(Schema):
    org: int = ID
    name: str = Field(..., min_length=1, max_length=120)
    capabilities: str = Field(..., min_length=1, max_length=300)
    contact_name: str = Field(..., min_length=1, max_length=60)
    phone: str = Field(..., min_length=5, max_length=40)
    credit_code: str = Field("", max_length=18)


class OrganisationOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    name: str
    credit_code: str
    capabilities: str
    contact_name: str
    phone: str
    active: bool


@router.get("/relief/organisations", response=list[OrganisationOut])
@paginate(Pages)
def organisations_list(request: ApiRequest) -> Any:
    return selectors.organisation_list(user=request.auth)


@router.post("/relief/organisations", response={201: OrganisationOut})
def organisations_create(request: ApiRequest, payload: OrganisationIn) -> Any:
    return _create_in_org(request, payload, services.organisation_create)


class AwardIn(Schema):
    org: int = ID
    kind: AwardKind
    amount_yuan: Decimal = Field(..., gt=0, le=10**9, max_digits=12, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=300)
    organisation: int | None = Field(None, ge=1, le=2**63 - 1)
    volunteer: int | None = Field(None, ge=1, le=2**63 - 1)
    event: int | None = Field(None, ge=1, le=2**63 - 1)


class AwardOut(Schema):
    id: int
    org: int = Field(..., alias="org_id")
    kind: str
    amount_yuan: Decimal
    reason: str
    organisation: int | None = Field(None, alias="organisation_id")
    volunteer: int | None = Field(None, alias="volunteer_id")
    event: int | None = Field(None, alias="event_id")
    status: str
    decision_note: str
    decided_at: datetime | None


@router.get("/relief/awards", response=list[AwardOut])
@paginate(Pages)
def awards_list(request: ApiRequest, status: AwardStatus | None = None) -> Any:
    return selectors.award_list(user=request.auth, status=status)


@router.post("/relief/awards", response={201: AwardOut})
def awards_create(request: ApiRequest, payload: AwardIn) -> Any:
    user = request.auth
    return _create_in_org(
        request,
        payload,
        services.award_submit,
        organisation=resolve_in_scope(SocialOrganisation, user, payload.organisation, field="organisation"),
        volunteer=resolve_in_scope(Volunteer, user, payload.volunteer, field="volunteer"),
        event=resolve_in_scope(selectors.event_list(user=user), None, payload.event, field="event"),
    )


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


@router.post("/relief/awards/{award_id}/decide", response=AwardOut)
def awards_decide(request: ApiRequest, award_id: int, payload: DecideIn) -> Any:
    award = get_scoped_or_404(selectors.award_list(user=request.auth), request.auth, award_id)
    return services.award_decide(by=request.auth, award=award, approve=payload.approve, note=payload.note)
