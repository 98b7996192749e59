"""Annual control targets, generated reports and the special funds (budget lines, commitments and spending,
rewards fund awards). The figures themselves are computed from the domain apps and never stored here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgUnit


class Indicator(models.TextChoices):
    """The accident figures the district plan sets annual control targets (控制指标) for."""

    INCIDENTS = "incidents", _("Number of accidents")
    DEATHS = "deaths", _("Deaths")
    SERIOUS_INJURIES = "serious_injuries", _("Serious injuries")
    DIRECT_LOSS = "direct_loss_yuan", _("Direct economic loss (yuan)")


class ControlTarget(models.Model):
    """An annual control target (控制指标) the bureau sets for one indicator, district-wide or for one street:
    the figure must stay at or below `limit` for the year."""

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    org = models.ForeignKey(
        OrgUnit, verbose_name=_("for"), on_delete=models.PROTECT, related_name="+", help_text=_("District or street.")
    )
    limit = models.PositiveBigIntegerField(_("limit"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "org__path", "indicator"]
        verbose_name = _("control target")
        verbose_name_plural = _("control targets")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "org"],
                name="%(app_label)s_%(class)s_unique_year_indicator_org",
                violation_error_message=_("This unit already has a target for this indicator and year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.org} {self.get_indicator_display()} ≤ {self.limit}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    ANNUAL = "annual", _("Annual report")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Building")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Report(models.Model):
    """A monthly or annual safety-production and emergency-management report, built by the worker as Excel and
    PDF for the requester's area (`org`); `progress` (0–100) and `stage` tell the page how far it got."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=7, help_text=_("2026-11 for a month, 2026 for a year."))
    org = models.ForeignKey(OrgUnit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    scheduled = models.BooleanField(_("scheduled"), default=False, help_text=_("Requested by the monthly schedule."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the schedule requested it."),
    )
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    xlsx = models.FileField(_("Excel file"), upload_to="reports/", max_length=200, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="reports/", max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_range",
                violation_error_message=_("Progress lies between 0 and 100."),
            ),
            models.UniqueConstraint(
                fields=["kind", "period", "org"],
                condition=Q(scheduled=True),
                name="%(app_label)s_%(class)s_one_scheduled_per_period",
                violation_error_message=_("The schedule already requested this report."),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="analytics_report_queue_idx")]
        permissions = [("view_statistics", _("Can view statistics"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} {self.org}"


class BudgetLine(models.Model):
    """One line of the year's special emergency fund budget (专项资金预算), e.g. equipment, drills, rewards."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    amount_yuan = models.PositiveBigIntegerField(_("budget (yuan)"))
    rewards = models.BooleanField(_("rewards fund"), default=False, help_text=_("Awards are paid from this line."))
    org = models.ForeignKey(OrgUnit, verbose_name=_("managed by"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"],
                name="%(app_label)s_%(class)s_unique_year_code",
                violation_error_message=_("This year already has a budget line with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("Commitment")
    SPENDING = "spending", _("Spending")


class FundEntry(models.Model):
    """Money committed to (a contract signed) or spent on a project from a budget line. Appended only: a
    correction is a new entry with a note."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    project = models.CharField(_("project"), max_length=120)
    amount_yuan = models.BigIntegerField(_("amount (yuan)"), help_text=_("Negative for a correction."))
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_yuan=0),
                name="%(app_label)s_%(class)s_nonzero",
                violation_error_message=_("The amount cannot be zero."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.project} {self.amount_yuan}"


class RewardAward(models.Model):
    """An award paid from the rewards fund (奖励资金), e.g. for a public hazard report or a rescue."""

    line = models.ForeignKey(BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="awards")
    recipient = models.CharField(_("recipient"), max_length=120)
    reason = models.CharField(_("reason"), max_length=200)
    amount_yuan = models.PositiveBigIntegerField(_("amount (yuan)"))
    date = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("reward award")
        verbose_name_plural = _("reward awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("The amount must be positive."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.recipient} {self.amount_yuan}"


class AlarmDay(models.Model):
    """The alarms raised on one local day, counted per owner, installation site, device type, level and status:
    a roll-up the alarm statistics read instead of the alarms table for every day it holds. Derived data,
    rebuilt from the alarms by `rollup.refresh` (the worker keeps it current; `yingji analytics_rollup` rebuilds
    it); a day with changes since the last refresh is read from the alarms themselves."""

    day = models.DateField(_("day"))
    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    installation_org = models.ForeignKey(
        OrgUnit, verbose_name=_("installed at"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device_type = models.CharField(_("device type"), max_length=30)
    level = models.CharField(_("level"), max_length=8)
    status = models.CharField(_("status"), max_length=12)
    count = models.PositiveIntegerField(_("alarms"))
    acknowledged = models.PositiveIntegerField(_("acknowledged"))
    ack_seconds = models.FloatField(_("time to acknowledge, summed (s)"))

    class Meta:
        ordering = ["day", "org_id"]
        verbose_name = _("alarms of a day")
        verbose_name_plural = _("alarms by day")
        indexes = [models.Index(fields=["day", "org"], name="analytics_alarmday_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.org_id} {self.level} {self.status}: {self.count}"


class RollupMark(models.Model):
    """How far a roll-up has read its sources: the last alarm and alarm event ids taken into account."""

    name = models.CharField(_("name"), max_length=40)
    alarm_id = models.BigIntegerField(_("last alarm"), default=0)
    event_id = models.BigIntegerField(_("last alarm event"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("roll-up mark")
        verbose_name_plural = _("roll-up marks")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("This roll-up has a mark already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.alarm_id}/{self.event_id}"
