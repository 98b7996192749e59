"""The plans box of the incident page: the plans that apply, their activation, its tasks and the commander's card."""

from typing import Any

from django import template

from yingji.incidents import activation
from yingji.incidents.models import Incident
from yingji.plans.selectors import plan_cards

register = template.Library()


@register.inclusion_tag("incidents/_plans.html", takes_context=True)
def incident_plans(context: dict[str, Any], incident: Incident) -> dict[str, Any]:
    user = context["request"].user
    proposals = []
    for proposal in activation.incident_plans(incident=incident):
        row: dict[str, Any] = {"proposal": proposal, "levels": proposal.plan.response_levels}
        if proposal.activation is not None:
            row["tasks"] = activation.activation_tasks(activation=proposal.activation)
            # The first role of the plan leads it (总指挥): its card is what the commander reads out.
            cards = plan_cards(plan=proposal.plan)
            row["card"] = cards[0] if cards else None
        proposals.append(row)
    return {
        "incident": incident,
        "proposals": proposals,
        "may_activate": user.has_perm("incidents.add_planactivation") and incident.is_open,
        "csrf_token": context.get("csrf_token"),
    }
