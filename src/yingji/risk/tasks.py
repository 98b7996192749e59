"""The worker's jobs of dual prevention: overdue hidden dangers and missing daily commitments."""

from yingji.core.worker import periodic
from yingji.risk import services


@periodic(every_s=300)
def notify_overdue_dangers() -> int:
    """Tell the enterprise and the inspector about hidden dangers newly past their rectification deadline."""
    return services.dangers_notify_overdue()


@periodic(every_s=300)
def flag_missing_commitments() -> int:
    """After the day's deadline (10:00 by default), flag high-risk enterprises without a safety commitment."""
    return services.commitments_flag_missing()


@periodic(every_s=3600)
def remind_reinspections() -> int:
    """Remind inspectors of re-inspections falling due today or tomorrow."""
    return services.reinspections_remind()
