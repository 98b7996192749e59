"""Commands on plans, their structure, review and filing, attachments, drills and scenarios. One transaction each,
audited; filing numbers come from a locked per-year counter so they stay unique and sequential."""

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from yingji.core.access import org_in_scope, resolve_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import apply_changes, clean_or_fail, refuse_nulls, require_perm
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.models import OrgUnit, User
from yingji.core.notify import notify
from yingji.plans import docx_import, evaluation, lifecycle, scoring
from yingji.plans.models import (
    Conclusion,
    Drill,
    DrillEvaluationItem,
    DrillStatus,
    FilingCounter,
    Plan,
    PlanAnnex,
    PlanAttachment,
    PlanFiling,
    PlanReporting,
    PlanResource,
    PlanReview,
    PlanRole,
    PlanSection,
    PlanStatus,
    PlanStep,
    PlanTier,
    PlanVersion,
    ResponseLevel,
    Scenario,
    ScenarioNeed,
)
from yingji.plans.structure import plan_text
from yingji.resources.models import Equipment, EquipmentCategory, Expert, Team, TeamKind, Warehouse

PLAN_FIELDS = ("title", "level", "incident_types", "response_levels", "scope")
FILING_PREFIX = "黄石港应急预案备"
EVALUATION_YEARS = 3
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", {field: [message]})


def _clean(instance: Any, **kwargs: Any) -> None:
    """`clean_or_fail`, refusing text with NUL characters first (PostgreSQL cannot store them)."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            raise _fail(field.name, "text may not contain NUL characters")
    clean_or_fail(instance, **kwargs)


def _check_levels(levels: Iterable[str], field: str) -> list[str]:
    values = list(levels)
    bad = [v for v in values if v not in ResponseLevel.values]
    if bad:
        raise _fail(field, f"unknown response level {bad[0]}; use I, II, III or IV")
    return sorted(set(values), key=ResponseLevel.values.index)


def _check_types(types: Iterable[str]) -> list[str]:
    values = [str(t).strip() for t in types]
    if any(not v or len(v) > 40 or "\x00" in v for v in values):
        raise _fail("incident_types", "give incident type codes of at most 40 characters")
    return sorted(set(values))


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("org").get(pk=plan.pk)


def _require_editable(plan: Plan) -> None:
    if plan.status not in lifecycle.EDITABLE:
        allowed = ", ".join(lifecycle.EDITABLE)
        detail = f"a plan that is {plan.status} cannot be edited; edit it in: {allowed}"
        raise Conflict(detail, {"status": [detail]})


# --- the registry ---------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    by: User | None,
    org: OrgUnit,
    title: str,
    level: str,
    incident_types: Iterable[str] = (),
    response_levels: Iterable[str] = (),
    scope: str = "",
) -> Plan:
    """Register a plan as a draft of the unit that owns it."""
    require_perm(by, "plans.add_plan")
    owner = org_in_scope(by, org, required=True)
    assert owner is not None  # required: a missing unit was refused
    plan = Plan(
        org=owner,
        title=title,
        level=level,
        incident_types=_check_types(incident_types),
        response_levels=_check_levels(response_levels, "response_levels"),
        scope=scope,
        created_by=by,
    )
    _clean(plan)
    plan.save()
    audit_append(actor=by, action="plans.plan.create", obj=plan, summary=f"登记预案 {title}", payload={"level": level})
    return plan


@transaction.atomic
def plan_update(*, by: User | None, plan: Plan, **changes: Any) -> Plan:
    """Change a draft's (or a plan under revision's) registry fields."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    _require_editable(plan)
    refuse_nulls(plan, changes)
    for name, value in changes.items():
        if isinstance(value, str) and "\x00" in value:
            raise _fail(name, "text may not contain NUL characters")
    if "incident_types" in changes:
        changes["incident_types"] = _check_types(changes["incident_types"])
    if "response_levels" in changes:
        changes["response_levels"] = _check_levels(changes["response_levels"], "response_levels")
    plan, _diff = apply_changes(
        by=by, instance=plan, changes=changes, fields=PLAN_FIELDS, action="plans.plan.update", summary=plan.title
    )
    return plan


def _resolve_resource(by: User | None, row: Mapping[str, Any], index: int) -> dict[str, Any]:
    models = {"team": Team, "equipment": Equipment, "warehouse": Warehouse, "expert": Expert}
    kind = row.get("kind")
    if kind not in models:
        raise _fail(f"resources.{index}.kind", "use team, equipment, warehouse or expert")
    found = resolve_in_scope(models[kind], by, row.get("id"), field=f"resources.{index}.id", required=True)
    return {kind: found}


@transaction.atomic
def plan_body_set(*, by: User | None, plan: Plan, body: Mapping[str, Any]) -> Plan:
    """Replace the plan's structured body (GB/T 29639-2020): sections, roles, response levels with their triggers,
    steps per level and role, reporting duties, linked resources and annexes. Steps and duties name their role."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    _require_editable(plan)
    known = {"sections", "roles", "tiers", "steps", "reporting", "resources", "annexes"}
    unknown = sorted(set(body) - known)
    if unknown:
        raise _fail(unknown[0], "unknown part of a plan")
    # The old rows go; steps first, since they point at roles.
    for model in (PlanStep, PlanReporting, PlanRole, PlanTier, PlanSection, PlanResource, PlanAnnex):
        model.objects.filter(plan=plan).delete()
    for i, row in enumerate(body.get("sections", [])):
        _save(PlanSection(plan=plan, sort=i, **_pick(row, ("part", "heading", "body"))), f"sections.{i}")
    roles: dict[str, PlanRole] = {}
    for i, row in enumerate(body.get("roles", [])):
        fields = _pick(row, ("name", "duties", "contact", "phone"))
        org = org_in_scope(by, row.get("org"), field=f"roles.{i}.org") if row.get("org") else None
        role = _save(PlanRole(plan=plan, sort=i, org=org, **fields), f"roles.{i}")
        if role.name in roles:
            raise _fail(f"roles.{i}.name", "two roles of the same name")
        roles[role.name] = role
    levels = set()
    for i, row in enumerate(body.get("tiers", [])):
        tier = _save(PlanTier(plan=plan, **_pick(row, ("level", "trigger"))), f"tiers.{i}")
        if tier.level in levels:
            raise _fail(f"tiers.{i}.level", "this level is given twice")
        levels.add(tier.level)

    def role_of(row: Mapping[str, Any], field: str) -> PlanRole | None:
        name = row.get("role")
        if not name:
            return None
        if name not in roles:
            raise _fail(field, f"no role named {name} in this plan")
        return roles[name]

    for i, row in enumerate(body.get("steps", [])):
        step = PlanStep(plan=plan, role=role_of(row, f"steps.{i}.role"), **_pick(row, ("level", "order", "action")))
        step.due_minutes = row.get("due_minutes")
        _save(step, f"steps.{i}")
    for i, row in enumerate(body.get("reporting", [])):
        duty = PlanReporting(
            plan=plan, role=role_of(row, f"reporting.{i}.role"), **_pick(row, ("what", "recipient", "phone"))
        )
        duty.within_minutes = row.get("within_minutes")
        _save(duty, f"reporting.{i}")
    for i, row in enumerate(body.get("resources", [])):
        _save(PlanResource(plan=plan, note=row.get("note", ""), **_resolve_resource(by, row, i)), f"resources.{i}")
    for i, row in enumerate(body.get("annexes", [])):
        _save(PlanAnnex(plan=plan, sort=i, **_pick(row, ("title", "body"))), f"annexes.{i}")
    if levels:
        plan.response_levels = _check_levels(set(plan.response_levels) | levels, "tiers")
        plan.save(update_fields=["response_levels", "updated_at"])
    audit_append(
        actor=by,
        action="plans.plan.body",
        obj=plan,
        summary=f"预案正文 {plan.title}",
        payload={part: len(body.get(part, [])) for part in sorted(known)},
    )
    return plan


def _pick(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: row[name] for name in names if name in row}


def _save(instance: Any, prefix: str) -> Any:
    try:
        _clean(instance, exclude=["plan"])
    except ValidationFailed as exc:
        errors = {f"{prefix}.{field}": messages for field, messages in exc.errors.items()}
        raise ValidationFailed(f"{prefix}: {exc.detail}", errors) from None
    instance.save()
    return instance


# --- versions and attachments -------------------------------------------------------------------------------


def _snapshot(plan: Plan, by: User | None, note: str) -> PlanVersion:
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    return PlanVersion.objects.create(plan=plan, number=plan.version, text=plan_text(plan), note=note, created_by=by)


@transaction.atomic
def plan_version_save(*, by: User | None, plan: Plan, note: str = "") -> PlanVersion:
    """Freeze the plan's present body as its next version."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    version = _snapshot(plan, by, note[:200])
    audit_append(actor=by, action="plans.version.create", obj=plan, summary=f"{plan.title} v{version.number}")
    return version


@transaction.atomic
def attachment_add(*, by: User | None, plan: Plan, name: str, content: bytes) -> PlanAttachment:
    """Keep the original Word or PDF file of the plan with its SHA-256."""
    require_perm(by, "plans.change_plan")
    if not content:
        raise _fail("file", "the file is empty")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _fail("file", "the file is larger than 50 MB")
    name = (name or "plan").replace("\x00", "").rsplit("/", 1)[-1][:200] or "plan"
    digest = hashlib.sha256(content).hexdigest()
    attachment = PlanAttachment(plan=plan, name=name, sha256=digest, size=len(content), uploaded_by=by)
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    audit_append(
        actor=by,
        action="plans.attachment.add",
        obj=attachment,
        summary=f"{plan.title} {name}",
        payload={"sha256": digest},
    )
    return attachment


@transaction.atomic
def plan_import_docx(*, by: User | None, org: OrgUnit, level: str, name: str, content: bytes, title: str = "") -> Plan:
    """Create a draft from an existing .docx plan: its headings become the GB/T 29639-2020 parts, organisation
    lines become roles and level lines become triggers, for the author to finish. The file is kept attached."""
    parsed = docx_import.parse(content)
    plan = plan_create(by=by, org=org, title=(title or parsed.title or name)[:200], level=level)
    plan_body_set(by=by, plan=plan, body=parsed.body())
    attachment_add(by=by, plan=plan, name=name, content=content)
    return plan


# --- review and filing ----------------------------------------------------------------------------------------


def _open_review(plan: Plan) -> PlanReview | None:
    return plan.reviews.filter(concluded_at__isnull=True).order_by("-started_at").first()


def _file(plan: Plan, by: User | None, now: datetime) -> PlanFiling:
    year = timezone.localtime(now).year
    # Lock the year's counter: two plans filed at once must get two numbers, one after the other.
    counter = FilingCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                FilingCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # someone else opened the year at the same moment; theirs is the row to lock
        counter = FilingCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    number = f"{FILING_PREFIX}〔{year}〕{counter.last:04d}号"
    filing = PlanFiling.objects.create(
        plan=plan, version=plan.version, year=year, seq=counter.last, number=number, filed_at=now, filed_by=by
    )
    plan.filing_number, plan.filed_at = number, now
    return filing


@transaction.atomic
def plan_transition(*, by: User | None, plan: Plan, to: str) -> Plan:
    """Move a plan along its lifecycle (see lifecycle.py); a move not allowed from here is a 409 naming the
    allowed ones. Submitting freezes a version and opens the review; approving needs a passing conclusion;
    filing takes the next number of the year."""
    plan = _locked(plan)
    lifecycle.PLAN.check(plan.status, to)
    require_perm(by, lifecycle.PERMISSION[to])
    now = timezone.now()
    before = plan.status
    fields = ["status", "updated_at"]
    payload: dict[str, Any] = {"from": before, "to": to}
    if to == PlanStatus.UNDER_REVIEW:
        if not plan.steps.exists():
            raise Conflict("a plan without response steps cannot be reviewed", {"steps": ["add response steps"]})
        version = _snapshot(plan, by, "提交评审")
        PlanReview.objects.create(plan=plan, version=version.number, started_at=now)
    elif to == PlanStatus.APPROVED:
        review = _open_review(plan)
        if review is None or review.conclusion not in (Conclusion.PASS, Conclusion.REVISE):
            detail = "the review has not concluded that the plan passes"
            raise Conflict(detail, {"conclusion": [detail]})
        review.concluded_at, review.concluded_by = now, by
        review.save(update_fields=["concluded_at", "concluded_by"])
        plan.approved_at = now
        fields.append("approved_at")
    elif to == PlanStatus.DRAFT:
        review = _open_review(plan)
        if review is not None:
            review.concluded_at, review.concluded_by = now, by
            review.conclusion = review.conclusion or Conclusion.FAIL
            review.save(update_fields=["concluded_at", "concluded_by", "conclusion"])
    elif to == PlanStatus.FILED:
        filing = _file(plan, by, now)
        fields += ["filing_number", "filed_at"]
        payload["filing_number"] = filing.number
    plan.status = to
    plan.save(update_fields=fields)
    audit_append(actor=by, action="plans.plan.transition", obj=plan, summary=f"{plan.title} → {to}", payload=payload)
    return plan


@transaction.atomic
def plan_review_update(
    *,
    by: User | None,
    plan: Plan,
    experts: Iterable[Expert] | None = None,
    comments: str | None = None,
    conclusion: str | None = None,
) -> PlanReview:
    """Record the open review's experts (from the expert registry), their comments and the conclusion."""
    require_perm(by, "plans.review_plan")
    plan = _locked(plan)
    review = _open_review(plan)
    if plan.status != PlanStatus.UNDER_REVIEW or review is None:
        raise Conflict("the plan is not under review", {"status": ["submit the plan for review first"]})
    if comments is not None:
        review.comments = comments
    if conclusion is not None:
        review.conclusion = conclusion
    _clean(review)
    review.save()
    if experts is not None:
        review.experts.set(list(experts))
    audit_append(
        actor=by,
        action="plans.review.update",
        obj=review,
        summary=f"评审 {plan.title}",
        payload={"conclusion": review.conclusion, "experts": sorted(e.pk for e in review.experts.all())},
    )
    return review


# --- the three-year evaluation --------------------------------------------------------------------------------


def evaluation_due(plan: Plan) -> date | None:
    """When the plan's next evaluation falls due: three years after the last one, or after approval
    (生产安全事故应急预案管理办法 art. 35)."""
    start = plan.evaluated_on or (timezone.localdate(plan.approved_at) if plan.approved_at else None)
    if start is None:
        return None
    try:
        return start.replace(year=start.year + EVALUATION_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + EVALUATION_YEARS, day=28)


@transaction.atomic
def plan_evaluated(*, by: User | None, plan: Plan, on: date) -> Plan:
    """Record that the plan's evaluation was done; the next one falls due three years later."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    if on > timezone.localdate():
        raise _fail("on", "an evaluation cannot lie in the future")
    plan.evaluated_on = on
    plan.save(update_fields=["evaluated_on", "updated_at"])
    audit_append(actor=by, action="plans.plan.evaluated", obj=plan, summary=f"{plan.title} 评估", payload={"on": on})
    return plan


def plans_remind_evaluations(*, today: date | None = None) -> int:
    """Tell each in-force plan's owner, once per due date, that its three-year evaluation has fallen due."""
    from yingji.plans.models import IN_FORCE

    today = today or timezone.localdate()
    sent = 0
    plans = Plan.objects.filter(status__in=IN_FORCE).select_related("org")
    for plan in plans:
        due = evaluation_due(plan)
        if due is None or due > today or plan.evaluation_reminded_for == due:
            continue
        with transaction.atomic():
            recipients = User.objects.filter(org=plan.org, is_active=True)
            notify(
                recipients=recipients,
                title=f"预案到期评估：{plan.title}",
                body=f"预案《{plan.title}》应于 {due:%Y-%m-%d} 前完成三年一次的评估。",
                link=f"/plans/{plan.pk}/",
                category="plans",
            )
            plan.evaluation_reminded_for = due
            plan.save(update_fields=["evaluation_reminded_for"])
            audit_append(actor=None, action="plans.plan.remind", obj=plan, summary=f"到期评估提醒 {plan.title}")
        sent += 1
    return sent


# --- drills ---------------------------------------------------------------------------------------------------


@transaction.atomic
def drill_create(
    *,
    by: User | None,
    org: OrgUnit,
    title: str,
    content: str,
    form: str,
    scheduled_for: datetime,
    plan: Plan | None = None,
    scenario: Scenario | None = None,
    participants: str = "",
    objectives: str = "",
) -> Drill:
    """Plan a drill; its evaluation form starts with the AQ/T 9009-2015 annex A items, unanswered."""
    require_perm(by, "plans.add_drill")
    owner = org_in_scope(by, org, required=True)
    assert owner is not None  # required: a missing unit was refused
    drill = Drill(
        org=owner,
        title=title,
        content=content,
        form=form,
        scheduled_for=scheduled_for,
        plan=resolve_in_scope(Plan, by, plan, field="plan"),
        scenario=resolve_in_scope(Scenario, by, scenario, field="scenario"),
        participants=participants,
        objectives=objectives,
        created_by=by,
    )
    _clean(drill)
    drill.save()
    DrillEvaluationItem.objects.bulk_create(
        [DrillEvaluationItem(drill=drill, code=i.code, group=i.group, text=i.text) for i in evaluation.ITEMS]
    )
    audit_append(actor=by, action="plans.drill.create", obj=drill, summary=f"演练计划 {title}")
    return drill


@transaction.atomic
def drill_evaluate(
    *,
    by: User | None,
    drill: Drill,
    items: Mapping[str, tuple[str, str]] | None = None,
    findings: str | None = None,
    improvements: str | None = None,
) -> Drill:
    """Mark evaluation items (code → (yes/no, reason)) and write the findings and improvement tasks."""
    require_perm(by, "plans.change_drill")
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    rows = {row.code: row for row in drill.items.all()}
    for code, (result, reason) in (items or {}).items():
        row = rows.get(code)
        if row is None:
            raise _fail(f"items.{code}", "no such item on the form")
        row.result, row.reason = result, reason
        _clean(row)
        row.save(update_fields=["result", "reason"])
    if findings is not None:
        drill.findings = findings
    if improvements is not None:
        drill.improvements = improvements
    drill.save(update_fields=["findings", "improvements"])
    audit_append(actor=by, action="plans.drill.evaluate", obj=drill, summary=f"演练评估 {drill.title}")
    return drill


@transaction.atomic
def drill_record_metrics(*, by: User | None, drill: Drill, metrics: Mapping[str, Any], source: str = "") -> Drill:
    """Store what the platform's logs say about the drill and the score computed from them (scoring.py); `source`
    names where the figures come from (the exercise incident's number)."""
    require_perm(by, "plans.change_drill")
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.status == DrillStatus.CANCELLED:
        raise Conflict("the drill was cancelled", {"status": ["cancelled"]})
    result = scoring.score(scoring.Metrics(**metrics))
    drill.metrics = {**dict(metrics), "parts": result.parts, "source": source}
    drill.score = result.total
    drill.status = DrillStatus.EVALUATED
    drill.save(update_fields=["metrics", "score", "status"])
    audit_append(
        actor=by, action="plans.drill.score", obj=drill, summary=f"演练得分 {drill.title}", payload=drill.metrics
    )
    return drill


# --- scenarios ------------------------------------------------------------------------------------------------

NEED_KINDS = {f"team:{k}" for k in TeamKind.values} | {f"equipment:{c}" for c in EquipmentCategory.values}


@transaction.atomic
def scenario_create(
    *,
    by: User | None,
    org: OrgUnit,
    title: str,
    needs: Mapping[str, int],
    incident_type: str = "",
    event_chain: str = "",
    affected_area: str = "",
    radius_m: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
    expected_deaths: int = 0,
    expected_injuries: int = 0,
) -> Scenario:
    """Add a scenario with the resources it needs by kind ("team:<kind>" in teams, "equipment:<category>" in units)."""
    require_perm(by, "plans.add_scenario")
    owner = org_in_scope(by, org, required=True)
    assert owner is not None  # required: a missing unit was refused
    scenario = Scenario(
        org=owner,
        title=title,
        incident_type=incident_type,
        event_chain=event_chain,
        affected_area=affected_area,
        radius_m=radius_m,
        lat=lat,
        lon=lon,
        expected_deaths=expected_deaths,
        expected_injuries=expected_injuries,
    )
    _clean(scenario)
    scenario.save()
    for kind, quantity in needs.items():
        if kind not in NEED_KINDS:
            raise _fail(f"needs.{kind}", "use team:<team kind> or equipment:<equipment category>")
        need = ScenarioNeed(scenario=scenario, kind=kind, quantity=quantity)
        _save(need, f"needs.{kind}")
    audit_append(actor=by, action="plans.scenario.create", obj=scenario, summary=f"情景 {title}")
    return scenario


@transaction.atomic
def plan_step_add(
    *, by: User | None, plan: Plan, level: str, role: str, action: str, due_minutes: int | None = None
) -> PlanStep:
    """Add one response step at the end of a role's steps for a level; the role is created if the plan lacks it."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    _require_editable(plan)
    role_row = plan.roles.filter(name=role.strip()).first()
    if role_row is None:
        role_row = _save(PlanRole(plan=plan, name=role.strip(), sort=plan.roles.count()), "role")
    last = plan.steps.filter(level=level, role=role_row).order_by("-order").values_list("order", flat=True).first()
    step = _save(
        PlanStep(plan=plan, level=level, role=role_row, order=(last or 0) + 1, action=action, due_minutes=due_minutes),
        "step",
    )
    if level not in plan.response_levels:
        plan.response_levels = _check_levels([*plan.response_levels, level], "level")
        plan.save(update_fields=["response_levels", "updated_at"])
    audit_append(actor=by, action="plans.step.add", obj=plan, summary=f"{plan.title} 增加步骤 {action}"[:300])
    return step


@transaction.atomic
def plan_tier_set(*, by: User | None, plan: Plan, level: str, trigger: str) -> PlanTier:
    """Set the trigger of one response level of the plan (adding the level if the plan lacks it)."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    _require_editable(plan)
    tier = plan.tiers.filter(level=level).first() or PlanTier(plan=plan, level=level)
    tier.trigger = trigger
    _save(tier, "tier")
    if level not in plan.response_levels:
        plan.response_levels = _check_levels([*plan.response_levels, level], "level")
        plan.save(update_fields=["response_levels", "updated_at"])
    audit_append(actor=by, action="plans.tier.set", obj=plan, summary=f"{plan.title} {level}级启动条件")
    return tier


@transaction.atomic
def plan_role_set(
    *,
    by: User | None,
    plan: Plan,
    name: str,
    duties: str = "",
    org: OrgUnit | None = None,
    contact: str = "",
    phone: str = "",
) -> PlanRole:
    """Add a role to the plan's organisation, or update the role of that name: duties, unit, contact and phone."""
    require_perm(by, "plans.change_plan")
    plan = _locked(plan)
    _require_editable(plan)
    org = org_in_scope(by, org, field="org") if org is not None else None
    role = plan.roles.filter(name=name.strip()).first() or PlanRole(
        plan=plan, name=name.strip(), sort=plan.roles.count()
    )
    role.duties, role.org, role.contact, role.phone = duties, org, contact, phone
    _save(role, "role")
    audit_append(actor=by, action="plans.role.set", obj=plan, summary=f"{plan.title} 岗位 {role.name}"[:300])
    return role
