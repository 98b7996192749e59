"""The emergency plan an alarm rule names (issue 12: "an alarm rule can name a plan").

Plans live in an app above monitoring (ARCHITECTURE.md: imports point down only), so a rule keeps the plan's id and
monitoring asks a catalogue that the app knowing plans registers from its `AppConfig.ready()` (incidents does:
it activates plans). Without a catalogue no rule can name a plan; a rule naming a plan no longer in force keeps
the id, and the plan simply is not proposed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed


@dataclass(frozen=True)
class PlanRef:
    """A plan in force as monitoring shows it: its id and title."""

    id: int
    title: str


@dataclass(frozen=True)
class PlanCatalogue:
    """`get(id)`: the plan in force with that id, or None; `choices()`: every plan in force, for the rule form."""

    get: Callable[[int], PlanRef | None]
    choices: Callable[[], list[PlanRef]]


_catalogue: list[PlanCatalogue] = []


def register_plan_catalogue(catalogue: PlanCatalogue) -> None:
    """Install the catalogue rules look plans up in (the last registered wins)."""
    _catalogue[:] = [catalogue]


def plan_ref(plan_id: int | None) -> PlanRef | None:
    """The plan in force with that id, or None (no id, no catalogue, or no such plan in force)."""
    if plan_id is None or not _catalogue:
        return None
    return _catalogue[0].get(plan_id)


def plan_choices() -> list[PlanRef]:
    """The plans in force a rule may name (none without a catalogue)."""
    return _catalogue[0].choices() if _catalogue else []


def check_plan(plan_id: int | None) -> None:
    """ValidationFailed on `plan` unless the id is empty or names a plan in force."""
    if plan_id is None:
        return
    if plan_ref(plan_id) is None:
        message = _("No plan in force has this id.")
        raise ValidationFailed(message, {"plan": [message]})
