"""Which plans apply to an incident, and why, in the order they are turned to: the enterprise's own on-site and
special plans, then its comprehensive plan, the street's and community's plans, the district special plan for the
incident type, and the district overall plan (the plan system of GB/T 29639-2020 ch. 5 and 突发事件应急预案管理办法
art. 6-7, linked government to enterprise: 政企预案衔接)."""

from collections.abc import Iterable
from dataclasses import dataclass

from yingji.plans.models import Plan, PlanLevel

# Rank of each plan level in the answer: the closest to the scene first.
ORDER: dict[str, int] = {
    PlanLevel.ENTERPRISE_ONSITE: 1,
    PlanLevel.ENTERPRISE_SPECIAL: 2,
    PlanLevel.ENTERPRISE_COMPREHENSIVE: 3,
    PlanLevel.COMMUNITY: 4,
    PlanLevel.STREET: 5,
    PlanLevel.DEPARTMENT: 6,
    PlanLevel.DISTRICT_SPECIAL: 7,
    PlanLevel.DISTRICT_OVERALL: 8,
}
# Plans that must name the incident type to apply; the others apply to whatever befalls their unit.
TYPED = (PlanLevel.ENTERPRISE_ONSITE, PlanLevel.ENTERPRISE_SPECIAL, PlanLevel.DISTRICT_SPECIAL, PlanLevel.DEPARTMENT)


@dataclass(frozen=True)
class Match:
    plan: Plan
    reason: str


def _covers(plan: Plan, type_code: str) -> bool:
    return not plan.incident_types or type_code in plan.incident_types


def match_plans(
    plans: Iterable[Plan], *, type_code: str, enterprise_id: int | None, place_path: str, type_name: str = ""
) -> list[Match]:
    """The plans among `plans` (those in force) that apply to an incident of `type_code` at the unit whose tree path
    is `place_path`, involving `enterprise_id`; each with the reason it applies, closest to the scene first."""
    type_label = type_name or type_code
    found: list[Match] = []
    for plan in plans:
        level = plan.level
        # A special plan applies to the types it names; an enterprise plan naming none applies to all.
        typed_ok = type_code in plan.incident_types if level in TYPED[2:] else _covers(plan, type_code)
        if level in (PlanLevel.ENTERPRISE_ONSITE, PlanLevel.ENTERPRISE_SPECIAL, PlanLevel.ENTERPRISE_COMPREHENSIVE):
            if enterprise_id is None or plan.org_id != enterprise_id or not typed_ok:
                continue
            reason = f"事发企业{plan.org.name}的{plan.get_level_display()}"
            if plan.incident_types:
                reason += f"，适用于{type_label}"
        elif level in (PlanLevel.STREET, PlanLevel.COMMUNITY):
            if not place_path.startswith(plan.org.path) or not _covers(plan, type_code):
                continue
            reason = f"事发地属{plan.org.name}"
        elif level in (PlanLevel.DISTRICT_SPECIAL, PlanLevel.DEPARTMENT):
            if not typed_ok:
                continue
            reason = f"{plan.get_level_display()}，适用于{type_label}"
        else:
            reason = "区总体应急预案，适用于全区各类突发事件"
        found.append(Match(plan=plan, reason=reason))
    return sorted(found, key=lambda m: (ORDER[m.plan.level], m.plan.title, m.plan.pk))
