"""Periodic jobs of the plans app."""

from yingji.core.worker import periodic
from yingji.plans.services import plans_remind_evaluations


@periodic(every_s=6 * 3600)
def remind_evaluations() -> int:
    """Tell owners of plans whose three-year evaluation has fallen due (once per due date)."""
    return plans_remind_evaluations()
