"""Commands of the analytics app: control targets, report requests and their building, special funds."""

import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.analytics.filters import period_bounds
from yingji.analytics.lifecycle import REPORT
from yingji.analytics.models import (
    BudgetLine,
    ControlTarget,
    FundEntry,
    Report,
    ReportKind,
    ReportStatus,
    RewardAward,
)
from yingji.core.access import org_in_scope, scope_root
from yingji.core.audit import audit_append
from yingji.core.commands import clean_or_fail, require_perm
from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.core.models import OrgKind, OrgUnit, User

log = logging.getLogger("yingji.analytics")

MIN_YEAR, MAX_YEAR = 2000, 2100


def district() -> OrgUnit:
    """The district, root of the org tree: the area of the platform's own reports."""
    unit = OrgUnit.objects.filter(kind=OrgKind.DISTRICT, parent__isnull=True).order_by("pk").first()
    if unit is None:
        raise ValidationFailed("no district", {"org": [_("The org tree has no district yet.")]})
    return unit


def area_of(user: User | None) -> OrgUnit:
    """The area a user's figures cover: their scope root, or the district for district staff and the platform."""
    if user is None:
        return district()
    try:
        root = scope_root(user)
    except PermissionError:
        raise NotAllowed(_("Your account belongs to no unit.")) from None
    return root or district()


# ---- control targets ---------------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *, by: User | None, year: int, indicator: str, org: OrgUnit | int | None, limit: int, note: str = ""
) -> ControlTarget:
    """Set (create or change) the annual control target of an indicator for the district or a street."""
    require_perm(by, "analytics.change_controltarget")
    unit = org_in_scope(by, org, field="org") if by is not None and org is not None else org
    if isinstance(unit, int):
        unit = OrgUnit.objects.filter(pk=unit).first()
    unit = unit or area_of(by)
    if unit.kind not in (OrgKind.DISTRICT, OrgKind.STREET):
        raise ValidationFailed("org", {"org": [_("Targets are set for the district or a street.")]})
    target = ControlTarget.objects.select_for_update().filter(
        year=year, indicator=indicator, org=unit
    ).first() or ControlTarget(year=year, indicator=indicator, org=unit, limit=0)
    before = None if target.pk is None else target.limit
    target.limit, target.note, target.set_by = limit, note, by
    clean_or_fail(target)
    target.save()
    audit_append(
        actor=by,
        action="analytics.controltarget.set",
        obj=target,
        summary=f"设定控制指标 {year} {unit.name} {target.get_indicator_display()} ≤ {limit}",
        payload={"before": before, "limit": limit},
    )
    return target


# ---- reports -----------------------------------------------------------------------------------------------


def _check_period(kind: str, period: str) -> tuple[date, date]:
    try:
        start, end = period_bounds(kind, period)
    except ValueError as exc:
        raise ValidationFailed(f"period: {exc}", {"period": [str(exc)]}) from None
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise ValidationFailed("period", {"period": [_("The year must lie between 2000 and 2100.")]})
    if start > timezone.localdate():
        raise ValidationFailed("period", {"period": [_("The period has not begun yet.")]})
    return start, end


@transaction.atomic
def report_request(*, by: User | None, kind: str, period: str, scheduled: bool = False) -> Report:
    """Queue a monthly or annual report of the requester's area; the worker builds it."""
    require_perm(by, "analytics.add_report")
    if kind not in ReportKind.values:
        raise ValidationFailed("kind", {"kind": [_("Choose monthly or annual.")]})
    _check_period(kind, period)
    org = area_of(by)
    if scheduled:
        existing = Report.objects.filter(kind=kind, period=period, org=org, scheduled=True).first()
        if existing is not None:
            return existing
    report = Report(
        kind=kind, period=period, org=org, requested_by=by, requested_at=timezone.now(), scheduled=scheduled
    )
    clean_or_fail(report)
    report.save()
    audit_append(
        actor=by,
        action="analytics.report.request",
        obj=report,
        summary=f"申请生成{report.get_kind_display()} {period}（{org.name}）",
        payload={"kind": kind, "period": period, "org": org.pk},
    )
    return report


def report_progress(*, report: Report, progress: int, stage: str) -> None:
    """Store how far the build got (its own short write, so the page sees it while the build goes on)."""
    report.progress, report.stage = max(0, min(100, progress)), stage[:100]
    Report.objects.filter(pk=report.pk).update(progress=report.progress, stage=report.stage)


def report_claim() -> Report | None:
    """Take the oldest queued report for building (one worker at a time gets each)."""
    with transaction.atomic():
        queued = Report.objects.filter(status=ReportStatus.QUEUED).order_by("requested_at", "pk")
        report = queued.select_for_update(skip_locked=True).first()
        if report is None:
            return None
        REPORT.check(report.status, ReportStatus.RUNNING)
        report.status, report.started_at, report.progress, report.stage = ReportStatus.RUNNING, timezone.now(), 0, ""
        report.save(update_fields=["status", "started_at", "progress", "stage"])
    return report


def report_build(*, report: Report) -> Report:
    """Build a claimed report's Excel and PDF files; a failure is stored on the row, never lost."""
    from yingji.analytics.reports import build_report

    try:
        files = build_report(report, progress=lambda p, stage: report_progress(report=report, progress=p, stage=stage))
    except Exception as exc:
        log.exception("report %s failed", report.pk)
        with transaction.atomic():
            REPORT.check(report.status, ReportStatus.FAILED)
            report.status, report.error, report.finished_at = ReportStatus.FAILED, str(exc)[:500], timezone.now()
            report.save(update_fields=["status", "error", "finished_at"])
            audit_append(actor=None, action="analytics.report.fail", obj=report, summary=f"报表生成失败：{exc}"[:300])
        return report
    with transaction.atomic():
        REPORT.check(report.status, ReportStatus.DONE)
        report.xlsx.save(files.xlsx_name, ContentFile(files.xlsx), save=False)
        report.pdf.save(files.pdf_name, ContentFile(files.pdf), save=False)
        report.status, report.progress, report.stage = ReportStatus.DONE, 100, ""
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "progress", "stage", "finished_at", "xlsx", "pdf"])
        audit_append(
            actor=None,
            action="analytics.report.build",
            obj=report,
            summary=f"生成{report.get_kind_display()} {report.period}（{report.org.name}）",
        )
    return report


def reports_build_queued(*, limit: int = 5) -> int:
    """Build up to `limit` queued reports; how many were built (or failed)."""
    built = 0
    while built < limit:
        report = report_claim()
        if report is None:
            break
        report_build(report=report)
        built += 1
    return built


def monthly_schedule(*, today: date | None = None) -> Report | None:
    """On the first day of a month, queue the district's report of the month before (once)."""
    today = today or timezone.localdate()
    if today.day != 1 or not OrgUnit.objects.filter(kind=OrgKind.DISTRICT).exists():
        return None
    month = (today.replace(day=1) - date.resolution).strftime("%Y-%m")
    report = report_request(by=None, kind=ReportKind.MONTHLY, period=month, scheduled=True)
    if today.month == 1:
        report_request(by=None, kind=ReportKind.ANNUAL, period=str(today.year - 1), scheduled=True)
    return report


# ---- special funds -----------------------------------------------------------------------------------------


@transaction.atomic
def budget_line_create(
    *,
    by: User | None,
    year: int,
    code: str,
    name: str,
    amount_yuan: int,
    rewards: bool = False,
    org: OrgUnit | int | None = None,
    note: str = "",
) -> BudgetLine:
    """Add a line to a year's special fund budget."""
    require_perm(by, "analytics.add_budgetline")
    unit = org_in_scope(by, org, field="org") if org is not None else area_of(by)
    assert unit is not None  # org_in_scope returns a unit or refuses the id
    line = BudgetLine(year=year, code=code, name=name, amount_yuan=amount_yuan, rewards=rewards, org=unit, note=note)
    clean_or_fail(line)
    line.save()
    audit_append(
        actor=by,
        action="analytics.budgetline.create",
        obj=line,
        summary=f"新增专项资金预算 {year} {name} {amount_yuan} 元",
        payload={"amount_yuan": amount_yuan},
    )
    return line


def _line(by: User | None, line: BudgetLine | int) -> BudgetLine:
    from yingji.core.access import resolve_in_scope

    found = resolve_in_scope(BudgetLine, by, line, field="line", required=True)
    if found is None:  # required=True already refuses a missing id; this keeps the type checker honest
        raise ValidationFailed("line", {"line": [_("Not found.")]})
    return found


@transaction.atomic
def fund_entry_add(
    *,
    by: User | None,
    line: BudgetLine | int,
    kind: str,
    project: str,
    amount_yuan: int,
    on: date,
    note: str = "",
) -> FundEntry:
    """Record money committed to or spent on a project from a budget line (appended; corrections are negative)."""
    require_perm(by, "analytics.add_fundentry")
    budget = _line(by, line)
    if on.year != budget.year:
        raise ValidationFailed("date", {"date": [_("The date must fall in the budget line's year.")]})
    entry = FundEntry(
        line=budget, kind=kind, project=project, amount_yuan=amount_yuan, date=on, note=note, created_by=by
    )
    clean_or_fail(entry)
    entry.save()
    audit_append(
        actor=by,
        action="analytics.fundentry.add",
        obj=entry,
        summary=f"{entry.get_kind_display()} {budget.name} {project} {amount_yuan} 元",
        payload={"line": budget.pk, "kind": kind, "amount_yuan": amount_yuan},
    )
    return entry


@transaction.atomic
def reward_award(
    *, by: User | None, line: BudgetLine | int, recipient: str, reason: str, amount_yuan: int, on: date
) -> RewardAward:
    """Pay an award from a rewards fund line."""
    require_perm(by, "analytics.add_rewardaward")
    budget = _line(by, line)
    if not budget.rewards:
        raise ValidationFailed("line", {"line": [_("This budget line is not a rewards fund.")]})
    if on.year != budget.year:
        raise ValidationFailed("date", {"date": [_("The date must fall in the budget line's year.")]})
    award = RewardAward(
        line=budget, recipient=recipient, reason=reason, amount_yuan=amount_yuan, date=on, created_by=by
    )
    clean_or_fail(award)
    award.save()
    audit_append(
        actor=by,
        action="analytics.rewardaward.add",
        obj=award,
        summary=f"奖励 {recipient} {amount_yuan} 元：{reason}"[:300],
        payload={"line": budget.pk, "amount_yuan": amount_yuan},
    )
    return award
