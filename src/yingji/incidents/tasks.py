"""The duty desk's periodic job: escalate reports that missed their statutory deadline."""

from yingji.core.worker import periodic
from yingji.incidents.services import reports_escalate_overdue


@periodic(every_s=60)
def escalate_overdue_reports() -> int:
    """Notify the duty leader on shift and the commanders of every newly overdue report (once per report)."""
    return reports_escalate_overdue()
