"""The filters every statistic takes (period, street, industry, category) and the same period a year earlier.

Pure values: the API and pages build a `StatFilters`, every statistic function reads it."""

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

# Longest period a statistic answers for: ten years keeps every query bounded.
MAX_SPAN_DAYS = 3660


def shift_year(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier); 29 February becomes 28 February."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def year_start(day: date) -> date:
    return day.replace(month=1, day=1)


@dataclass(frozen=True)
class StatFilters:
    """A period of whole local (Asia/Shanghai) days from `date_from` to `date_to` inclusive, and optional
    narrowing: `street` (an org unit id, with its `street_path` once resolved in scope), the enterprise's
    `industry`, the incident `category`, and for alarm quality the `minutes` within which an alarm that clears
    unacknowledged counts as likely false."""

    date_from: date
    date_to: date
    street: int | None = None
    street_path: str = ""
    industry: str = ""
    category: str = ""
    minutes: int = 10

    @classmethod
    def year_to_date(cls, today: date | None = None, **kwargs: Any) -> "StatFilters":
        today = today or timezone.localdate()
        return cls(date_from=year_start(today), date_to=today, **kwargs)

    @property
    def start(self) -> datetime:
        """The first instant of the period (aware)."""
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The first instant after the period (aware): periods are half-open, [start, end)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous_year(self) -> "StatFilters":
        """The same period a year earlier (a leap day's period ends on 28 February)."""
        return replace(self, date_from=shift_year(self.date_from, -1), date_to=shift_year(self.date_to, -1))

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "street": self.street,
            "industry": self.industry or None,
            "category": self.category or None,
        }


def period_bounds(kind: str, period: str) -> tuple[date, date]:
    """The first and last day of a report period: "2026-11" (monthly) or "2026" (annual); ValueError otherwise."""
    if kind == "monthly":
        year_text, _, month_text = period.partition("-")
        if len(year_text) != 4 or len(month_text) != 2:
            raise ValueError("a month is written YYYY-MM")
        year, month = int(year_text), int(month_text)
        if not 1 <= month <= 12:
            raise ValueError("the month must lie between 01 and 12")
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if kind == "annual":
        if len(period) != 4 or not period.isdigit():
            raise ValueError("a year is written YYYY")
        year = int(period)
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"unknown report kind {kind}")
