"""Figures of the after-action review (总结评估), computed from an incident's own record."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Arrival:
    """One dispatched resource: when it was sent and when it reached the scene (None: never arrived)."""

    name: str
    dispatched_at: datetime
    on_scene_at: datetime | None

    @property
    def travel(self) -> timedelta | None:
        return self.on_scene_at - self.dispatched_at if self.on_scene_at else None


@dataclass(frozen=True)
class ReviewFigures:
    to_first_report: timedelta | None
    to_first_dispatch: timedelta | None
    total: timedelta | None
    arrivals: list[Arrival] = field(default_factory=list)


def review_figures(
    *,
    received_at: datetime,
    closed_at: datetime | None,
    report_sent_times: list[datetime],
    arrivals: list[Arrival],
) -> ReviewFigures:
    """Time from receipt to the first report sent and to the first dispatch, each resource's arrival, and the
    whole duration from receipt to closing."""
    first_report = min(report_sent_times) if report_sent_times else None
    first_dispatch = min((a.dispatched_at for a in arrivals), default=None)
    return ReviewFigures(
        to_first_report=first_report - received_at if first_report else None,
        to_first_dispatch=first_dispatch - received_at if first_dispatch else None,
        total=closed_at - received_at if closed_at else None,
        arrivals=sorted(arrivals, key=lambda a: a.dispatched_at),
    )


def duration_text(value: timedelta | None) -> str:
    """A duration as the bureau writes it: "1小时05分" or "12分30秒"."""
    if value is None:
        return "—"
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{days}天{hours}小时{minutes:02d}分"
    if hours:
        return f"{hours}小时{minutes:02d}分"
    return f"{minutes}分{secs:02d}秒"
