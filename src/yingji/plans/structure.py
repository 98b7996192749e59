"""A plan's structured body (GB/T 29639-2020) as readable text, and the diff between two versions of it."""

import difflib

from django.db.models import Prefetch

from yingji.plans.models import LEVEL_RANK, Plan, PlanStep


def structure_prefetch() -> list[str | Prefetch]:
    """What to prefetch to read a plan's whole GB/T 29639 structure without a query per part."""
    return [
        "sections",
        "roles__org",
        "tiers",
        Prefetch("steps", queryset=PlanStep.objects.select_related("role")),
        "reporting__role",
        "resources__team__org",
        "resources__equipment",
        "resources__warehouse",
        "resources__expert",
        "annexes",
    ]


def plan_text(plan: Plan) -> str:
    """The plan's structure as plain text, one fact a line, in the standard's order: the unit of a version diff."""
    plan = Plan.objects.select_related("org").prefetch_related(*structure_prefetch()).get(pk=plan.pk)
    lines = [
        f"# {plan.title}",
        f"级别: {plan.get_level_display()}",
        f"编制单位: {plan.org.name}",
        f"适用事件类型: {', '.join(plan.incident_types) or '全部'}",
        f"响应级别: {', '.join(plan.response_levels)}",
    ]
    if plan.scope:
        lines += ["", "## 适用范围", *plan.scope.splitlines()]
    for section in plan.sections.all():
        lines += ["", f"## {section.get_part_display()}: {section.heading}", *section.body.splitlines()]
    lines += ["", "## 应急组织机构及职责"]
    for role in plan.roles.all():
        unit = f" [{role.org.name}]" if role.org is not None else ""
        contact = f" {role.contact} {role.phone}".rstrip()
        lines.append(f"- {role.name}{unit}{contact}: {role.duties}")
    lines += ["", "## 响应分级"]
    for tier in sorted(plan.tiers.all(), key=lambda t: -LEVEL_RANK[t.level]):
        lines.append(f"- {tier.level}级: {tier.trigger}")
    lines += ["", "## 响应措施"]
    steps = sorted(plan.steps.all(), key=lambda s: (-LEVEL_RANK[s.level], s.role.sort if s.role else 0, s.order))
    for step in steps:
        due = f" ({step.due_minutes} 分钟内)" if step.due_minutes else ""
        lines.append(f"- {step.level}级 / {step.role.name if step.role else '—'} / {step.order}. {step.action}{due}")
    lines += ["", "## 信息报告"]
    for duty in plan.reporting.all():
        within = f" {duty.within_minutes} 分钟内" if duty.within_minutes else ""
        who = duty.role.name if duty.role else "—"
        lines.append(f"- {who} → {duty.recipient} {duty.phone}{within}: {duty.what}")
    lines += ["", "## 应急资源"]
    for link in plan.resources.all():
        lines.append(f"- {link.kind}: {link.resource} {link.note}".rstrip())
    lines += ["", "## 附件"]
    for annex in plan.annexes.all():
        lines += [f"### {annex.title}", *annex.body.splitlines()]
    return "\n".join(lines) + "\n"


def text_diff(old: str, new: str, *, old_label: str = "", new_label: str = "") -> list[str]:
    """A unified diff of two texts, line by line (difflib), with three lines of context."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            old.splitlines(), new.splitlines(), fromfile=old_label, tofile=new_label, lineterm=""
        )
    ]
