"""API of analytics: every statistic at /stats/<name> (JSON or Excel), the dashboard's figures, reports, control
targets and special funds."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import PlainSerializer

from yingji.analytics import selectors, services
from yingji.analytics.excel import XLSX_CONTENT_TYPE, stat_workbook
from yingji.analytics.filters import StatFilters
from yingji.analytics.models import EntryKind, Indicator, Report, ReportStatus
from yingji.core.api import Pages
from yingji.core.models import Industry
from yingji.core.requests import ApiRequest
from yingji.incidents.models import Category

router = Router(tags=["analytics"])

LocalTime = Annotated[datetime, PlainSerializer(lambda value: timezone.localtime(value).isoformat(), return_type=str)]
MAX_YUAN = 10**15


class StatQuery(Schema):
    date_from: date | None = Field(None, alias="from", description="first day (default: 1 January of `to`'s year)")
    date_to: date | None = Field(None, alias="to", description="last day, inclusive (default: today)")
    street: int | None = Field(None, ge=1, le=2**63 - 1, description="an org unit id (street) within your scope")
    industry: Industry | None = None
    category: Category | None = None
    minutes: int = Field(10, ge=1, le=1440, description="alarm quality: cleared unacknowledged within N minutes")


def _filters(request: ApiRequest, query: StatQuery) -> StatFilters:
    return selectors.stat_filters(
        user=request.auth,
        date_from=query.date_from,
        date_to=query.date_to,
        street=query.street,
        industry=query.industry or "",
        category=query.category or "",
        minutes=query.minutes,
    )


class StatOut(Schema):
    name: str
    label: str
    compare: bool


@router.get("/stats", response=list[StatOut], tags=["statistics"])
def stats_catalogue(request: ApiRequest) -> list[dict[str, Any]]:
    """The statistics there are."""
    return selectors.stat_catalogue()


@router.get("/stats/{name}", tags=["statistics"])
def stats_get(request: ApiRequest, name: str, query: Query[StatQuery]) -> dict[str, Any]:
    """One statistic for your area, with `previous` (the same period a year earlier) where it compares, e.g.
    `/stats/incidents?from=2026-01-01&to=2026-12-31` → count, deaths, serious_injuries, direct_loss_yuan,
    by_grade, by_category, … Exercise data never counts. A street sees its own figures only."""
    filters = _filters(request, query)
    result = selectors.stat_get(user=request.auth, name=name, filters=filters)
    return {"name": name, "filters": filters.as_dict(), **result}


@router.get("/stats/{name}/xlsx", tags=["statistics"])
def stats_xlsx(request: ApiRequest, name: str, query: Query[StatQuery]) -> HttpResponse:
    """The same statistic as an Excel workbook."""
    filters = _filters(request, query)
    result = selectors.stat_get(user=request.auth, name=name, filters=filters)
    response = HttpResponse(stat_workbook(name, result, filters), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="stats-{name}-{filters.date_from}-{filters.date_to}.xlsx"'
    return response


@router.get("/analytics/dashboard")
def dashboard_get(request: ApiRequest) -> dict[str, Any]:
    """The command dashboard's figures for your area: duty, open incidents by grade, active alarms, warnings in
    force, resources, recent events and trends."""
    return selectors.dashboard(user=request.auth)


# ---- reports -----------------------------------------------------------------------------------------------


class ReportIn(Schema):
    kind: Literal["monthly", "annual"]
    period: str = Field(..., min_length=4, max_length=7, description='"2026-11" (monthly) or "2026" (annual)')


class ReportQueued(Schema):
    id: int
    status: str


class ReportOut(Schema):
    id: int
    kind: str
    period: str
    area: str
    status: str
    progress: int
    stage: str
    error: str
    requested_by: str | None
    requested_at: LocalTime
    finished_at: LocalTime | None
    xlsx_url: str | None
    pdf_url: str | None


def report_out(report: Report) -> dict[str, Any]:
    done = report.status == ReportStatus.DONE
    return {
        "id": report.pk,
        "kind": report.kind,
        "period": report.period,
        "area": report.org.name,
        "status": report.status,
        "progress": report.progress,
        "stage": report.stage,
        "error": report.error,
        "requested_by": report.requested_by.get_username() if report.requested_by else None,
        "requested_at": report.requested_at,
        "finished_at": report.finished_at,
        "xlsx_url": reverse("api:analytics_report_file", args=[report.pk, "xlsx"]) if done else None,
        "pdf_url": reverse("api:analytics_report_file", args=[report.pk, "pdf"]) if done else None,
    }


@router.post("/analytics/reports", response={202: ReportQueued})
def reports_request(request: ApiRequest, payload: ReportIn) -> Status:
    """Queue a monthly or annual report of your area; poll its status."""
    report = services.report_request(by=request.auth, kind=payload.kind, period=payload.period)
    return Status(202, {"id": report.pk, "status": report.status})


@router.get("/analytics/reports", response=list[ReportOut])
@paginate(Pages)
def reports_list(request: ApiRequest) -> list[dict[str, Any]]:
    """The report archive of your area: who asked for each and when."""
    return [report_out(r) for r in selectors.report_list(user=request.auth)[:500]]


@router.get("/analytics/reports/{report_id}", response=ReportOut)
def reports_get(request: ApiRequest, report_id: int) -> dict[str, Any]:
    """A report's status and progress (0–100), and its files once done."""
    return report_out(selectors.report_get(user=request.auth, report_id=report_id))


@router.get("/analytics/reports/{report_id}/{fmt}", url_name="analytics_report_file")
def reports_file(request: ApiRequest, report_id: int, fmt: Literal["xlsx", "pdf"]) -> FileResponse:
    """A built report's Excel or PDF file."""
    report = selectors.report_get(user=request.auth, report_id=report_id)
    stored = report.xlsx if fmt == "xlsx" else report.pdf
    if report.status != ReportStatus.DONE or not stored:
        raise Http404
    content_type = XLSX_CONTENT_TYPE if fmt == "xlsx" else "application/pdf"
    return FileResponse(
        stored.open("rb"), content_type=content_type, as_attachment=True, filename=stored.name.rsplit("/", 1)[-1]
    )


# ---- control targets ---------------------------------------------------------------------------------------


class TargetIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    indicator: Indicator
    org: int | None = Field(None, ge=1, le=2**63 - 1, description="the district or a street (default: your area)")
    limit: int = Field(..., ge=0, le=MAX_YUAN)
    note: str = Field("", max_length=200)


class TargetOut(Schema):
    id: int
    year: int
    indicator: str
    org: int
    org_name: str
    limit: int
    note: str


def target_out(target: Any) -> dict[str, Any]:
    return {
        "id": target.pk,
        "year": target.year,
        "indicator": target.indicator,
        "org": target.org_id,
        "org_name": target.org.name,
        "limit": target.limit,
        "note": target.note,
    }


@router.get("/analytics/targets", response=list[TargetOut])
def targets_list(request: ApiRequest, year: int | None = Query(None, ge=2000, le=2100)) -> list[dict[str, Any]]:
    """The annual control targets of your area."""
    return [target_out(t) for t in selectors.target_list(user=request.auth, year=year)]


@router.put("/analytics/targets", response=TargetOut)
def targets_set(request: ApiRequest, payload: TargetIn) -> dict[str, Any]:
    """Set the annual control target of an indicator (the bureau's leaders)."""
    return target_out(services.target_set(by=request.auth, **payload.dict()))


# ---- special funds -----------------------------------------------------------------------------------------


class BudgetLineIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=120)
    amount_yuan: int = Field(..., ge=0, le=MAX_YUAN)
    rewards: bool = False
    note: str = Field("", max_length=200)


class FundEntryIn(Schema):
    line: int = Field(..., ge=1, le=2**63 - 1)
    kind: EntryKind
    project: str = Field(..., min_length=1, max_length=120)
    amount_yuan: int = Field(..., ge=-MAX_YUAN, le=MAX_YUAN)
    date: date
    note: str = Field("", max_length=200)


class AwardIn(Schema):
    line: int = Field(..., ge=1, le=2**63 - 1)
    recipient: str = Field(..., min_length=1, max_length=120)
    reason: str = Field(..., min_length=1, max_length=200)
    amount_yuan: int = Field(..., ge=1, le=MAX_YUAN)
    date: date


class Created(Schema):
    id: int


@router.post("/analytics/funds/lines", response={201: Created})
def funds_line_create(request: ApiRequest, payload: BudgetLineIn) -> Status:
    """Add a line to a year's special fund budget."""
    return Status(201, {"id": services.budget_line_create(by=request.auth, **payload.dict()).pk})


@router.post("/analytics/funds/entries", response={201: Created})
def funds_entry_add(request: ApiRequest, payload: FundEntryIn) -> Status:
    """Record a commitment or a spending on a project."""
    data = payload.dict()
    entry = services.fund_entry_add(by=request.auth, on=data.pop("date"), **data)
    return Status(201, {"id": entry.pk})


@router.post("/analytics/funds/awards", response={201: Created})
def funds_award_add(request: ApiRequest, payload: AwardIn) -> Status:
    """Pay an award from the rewards fund."""
    data = payload.dict()
    return Status(201, {"id": services.reward_award(by=request.auth, on=data.pop("date"), **data).pk})
