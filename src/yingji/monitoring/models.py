"""Devices, their readings, dead letters, alarm rules, alarms and their history, daily fire danger and
warning suggestions."""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import VALID_COORDINATES, OrgUnit
from yingji.monitoring.metrics import METRIC_CODE_MAX, TYPE_METRICS, DeviceType
from yingji.monitoring.rules import Direction, Level, RuleKind
from yingji.monitoring.waterlevel import ResponseLevel, Stage

__all__ = ["DeviceType", "Direction", "Level", "ResponseLevel", "RuleKind", "Stage"]


class DeviceStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Never reported")
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")


class Device(models.Model):
    """A sensor or station that reports readings; belongs to (and is seen through) its owner org."""

    code = models.CharField(_("code"), max_length=64, help_text=_("Also the last part of its MQTT topic."))
    name = models.CharField(_("name"), max_length=120)
    type = models.CharField(_("type"), max_length=30, choices=DeviceType.choices)
    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="devices")
    installation = models.CharField(
        _("installation watched"), max_length=200, blank=True, help_text=_("Tank, pipeline, river section…")
    )
    installation_org = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enterprise watched"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watched_by_devices",
    )
    metrics = models.JSONField(_("metrics"), default=list, blank=True, help_text=_("Metric codes it reports."))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeviceStatus.choices, default=DeviceStatus.UNKNOWN)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    token_prefix = models.CharField(_("token prefix"), max_length=12, blank=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
        ]
        indexes = [models.Index(fields=["token_hash"], name="monitoring_device_token_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def metric_codes(self) -> list[str]:
        return list(self.metrics) or TYPE_METRICS.get(self.type, [])


class Reading(models.Model):
    """One value of one metric of one device at one time. Stored once per (device, metric, time), so a
    re-delivered message changes nothing. The table is created by migration 0001 itself: on PostgreSQL it
    is partitioned by month (range on `ts`), on SQLite a plain table; Django only knows its shape."""

    pk = models.CompositePrimaryKey("device_id", "metric", "ts")
    # The database cascades deletes; the ORM must not try to collect millions of readings.
    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.DO_NOTHING, db_constraint=False)
    metric = models.CharField(_("metric"), max_length=METRIC_CODE_MAX)
    ts = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))

    class Meta:
        db_table = "monitoring_reading"
        ordering = ["-ts"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self) -> str:
        return f"{self.device_id} {self.metric}={self.value} @ {self.ts:%Y-%m-%d %H:%M:%S}"


class DeadLetter(models.Model):
    """A message ingest could not use, kept with the reason so nothing vanishes silently."""

    class Source(models.TextChoices):
        MQTT = "mqtt", "MQTT"
        HTTP = "http", "HTTP"
        MODBUS = "modbus", "Modbus TCP"

    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    topic = models.CharField(_("topic or device"), max_length=200, blank=True)
    payload = models.TextField(_("payload"), blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")

    def __str__(self) -> str:
        return f"{self.topic}: {self.reason}"


class Rule(models.Model):
    """An alarm rule for a metric of one device, of a device type, or of every device reporting it."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=RuleKind.choices, default=RuleKind.THRESHOLD)
    device_type = models.CharField(_("device type"), max_length=30, choices=DeviceType.choices, blank=True)
    device = models.ForeignKey(
        Device, verbose_name=_("device"), null=True, blank=True, on_delete=models.CASCADE, related_name="rules"
    )
    metric = models.CharField(_("metric"), max_length=METRIC_CODE_MAX, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.ABOVE)
    blue = models.FloatField(_("blue limit"), null=True, blank=True)
    yellow = models.FloatField(_("yellow limit"), null=True, blank=True)
    orange = models.FloatField(_("orange limit"), null=True, blank=True)
    red = models.FloatField(_("red limit"), null=True, blank=True)
    deadband = models.FloatField(
        _("deadband"), default=0.0, help_text=_("How far a value must come back past a limit to leave its level.")
    )
    level = models.CharField(
        _("level"), max_length=8, choices=Level.choices, default=Level.YELLOW, help_text=_("For rate and offline.")
    )
    rate_delta = models.FloatField(_("change within the window"), null=True, blank=True)
    window_s = models.PositiveIntegerField(_("window (seconds)"), default=300)
    offline_minutes = models.PositiveIntegerField(_("no data for (minutes)"), default=30)
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate when unacknowledged for (minutes)"), null=True, blank=True
    )
    opens_incident = models.BooleanField(
        _("opens an incident"),
        default=False,
        help_text=_("The duty desk is asked to open an incident (or attach the alarm to one) when this rule alarms."),
    )
    opens_at_once = models.BooleanField(
        _("opens it at once"),
        default=False,
        help_text=_("Open the incident without asking the duty officer first."),
    )
    suggests_warning = models.CharField(
        _("suggests a warning"),
        max_length=20,
        blank=True,
        choices=[
            ("flood", _("Flood")),
            ("forest_fire", _("Forest fire")),
            ("rainstorm", _("Rainstorm")),
            ("waterlogging", _("Urban waterlogging")),
        ],
    )
    plan = models.PositiveBigIntegerField(
        _("emergency plan"),
        null=True,
        blank=True,
        help_text=_("The plan whose activation the duty desk is asked for when this rule alarms."),
    )
    needs_verification = models.BooleanField(
        _("needs verification"),
        default=False,
        help_text=_("A fire alarm (火警): the duty officer confirms it real, a false alarm or a test."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RuleKind.OFFLINE) | ~Q(metric=""), name="%(app_label)s_%(class)s_metric_required"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def metric_display(self) -> str:
        """The metric's name and unit in the active language (可燃气体 (%LEL)), never the raw code."""
        from yingji.monitoring.metrics import metric_label

        return metric_label(self.metric) if self.metric else ""

    @property
    def thresholds(self) -> dict[str, float]:
        return {level: getattr(self, level) for level in Level.values if getattr(self, level) is not None}


class AlarmStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("alarm", "Active")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLEARED = "cleared", _("Cleared")
    CLOSED = "closed", _("Closed")


# An alarm is open while the condition may still be going on: a new reading updates it, never a second row.
OPEN_STATUSES = (AlarmStatus.ACTIVE, AlarmStatus.ACKNOWLEDGED)


class Verification(models.TextChoices):
    """What the duty officer found a fire alarm to be (GB 50440: only confirmed fire alarms go on)."""

    REAL = "real", _("Real fire")
    FALSE_ALARM = "false_alarm", _("False alarm")
    TEST = "test", _("Test")


class Alarm(models.Model):
    """A rule's condition on a device, from the first abnormal reading until people close it."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="alarms")
    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="alarms")
    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(_("metric"), max_length=METRIC_CODE_MAX, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AlarmStatus.choices, default=AlarmStatus.ACTIVE)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    value = models.FloatField(_("last value"), null=True, blank=True)
    peak_value = models.FloatField(_("peak value"), null=True, blank=True)
    repeat_count = models.PositiveIntegerField(_("readings"), default=1)
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    last_at = models.DateTimeField(_("last abnormal reading"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ack_comment = models.CharField(_("comment"), max_length=500, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_alarms",
    )
    escalated_at = models.DateTimeField(pgettext_lazy("alarm", "escalated at"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verification = models.CharField(_("verification"), max_length=12, choices=Verification.choices, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verify_note = models.CharField(_("verification note"), max_length=500, blank=True)
    verify_escalated_at = models.DateTimeField(_("unverified, escalated at"), null=True, blank=True)

    # Set on the alarms the smart-fire page lists: the detector's (loop, address) (firealarm.fire_overview).
    point: tuple[int, int] | None

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        constraints = [
            # One open alarm per device and rule, whatever races between ingest processes.
            models.UniqueConstraint(
                fields=["device", "rule"],
                condition=Q(status__in=["active", "acknowledged"]),
                name="%(app_label)s_%(class)s_one_open_per_device_rule",
            ),
        ]
        indexes = [models.Index(fields=["status", "raised_at"], name="monitoring_alarm_status_idx")]

    def __str__(self) -> str:
        return f"{self.device.code} {self.rule.name} ({self.get_level_display()})"

    @property
    def metric_display(self) -> str:
        """The metric's name and unit in the active language (可燃气体 (%LEL)), never the raw code."""
        from yingji.monitoring.metrics import metric_label

        return metric_label(self.metric) if self.metric else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AlarmEvent(models.Model):
    """One step of an alarm's history: raised, escalated, acknowledged, assigned, cleared, closed."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ESCALATED = "escalated", _("Level raised")
        UNACKNOWLEDGED = "unacknowledged", _("Escalated: not acknowledged in time")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ASSIGNED = "assigned", _("Assigned")
        CLEARED = "cleared", _("Cleared")
        CLOSED = "closed", _("Closed")
        VERIFIED = "verified", _("Verified")
        UNVERIFIED = "unverified", _("Escalated: not verified in time")

    alarm = models.ForeignKey(Alarm, verbose_name=_("alarm"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class FireDangerDay(models.Model):
    """One weather station's Fire Weather Index for one day, from its noon readings."""

    device = models.ForeignKey(Device, verbose_name=_("station"), on_delete=models.CASCADE, related_name="fwi_days")
    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    temp_c = models.FloatField(_("noon temperature (°C)"))
    rh_pct = models.FloatField(_("noon relative humidity (%)"))
    wind_kmh = models.FloatField(_("noon wind (km/h)"))
    rain_mm = models.FloatField(_("24-hour rain (mm)"))
    ffmc = models.FloatField("FFMC")
    dmc = models.FloatField("DMC")
    dc = models.FloatField("DC")
    isi = models.FloatField("ISI")
    bui = models.FloatField("BUI")
    fwi = models.FloatField("FWI")
    level = models.PositiveSmallIntegerField(_("fire danger level"))
    level_name = models.CharField(_("fire danger"), max_length=20)
    suggest_warning = models.BooleanField(_("suggests a warning"), default=False)
    warning_level = models.CharField(_("suggested warning level"), max_length=8, choices=Level.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["-date", "device__code"]
        verbose_name = _("daily fire danger")
        verbose_name_plural = _("daily fire danger")
        constraints = [
            models.UniqueConstraint(fields=["device", "date"], name="%(app_label)s_%(class)s_unique_device_date")
        ]

    def __str__(self) -> str:
        return f"{self.device.code} {self.date} FWI {self.fwi:.1f}"


class WarningSuggestion(models.Model):
    """A condition that suggests issuing an early warning (forest fire, flood). People decide: the link
    opens the warnings app's form prefilled."""

    class EventType(models.TextChoices):
        FOREST_FIRE = "forest_fire", _("Forest fire")
        FLOOD = "flood", _("Flood")
        RAINSTORM = "rainstorm", _("Rainstorm")
        WATERLOGGING = "waterlogging", _("Urban waterlogging")

    event_type = models.CharField(_("event type"), max_length=20, choices=EventType.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    headline = models.CharField(_("headline"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300)
    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    alarm = models.ForeignKey(Alarm, verbose_name=_("alarm"), null=True, blank=True, on_delete=models.SET_NULL)
    fire_day = models.ForeignKey(
        FireDangerDay, verbose_name=_("fire danger day"), null=True, blank=True, on_delete=models.SET_NULL
    )
    instruction = models.TextField(_("instruction"), blank=True)
    streets = models.ManyToManyField(OrgUnit, verbose_name=_("streets"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("warning suggestion")
        verbose_name_plural = _("warning suggestions")

    def __str__(self) -> str:
        return self.headline

    @property
    def warning_url(self) -> str:
        """The warnings app's new-warning form, prefilled from this suggestion."""
        fields = {"event_type": self.event_type, "level": self.level, "headline": self.headline}
        if self.instruction:
            fields["instruction"] = self.instruction
        query = urlencode(fields)
        if self.pk:
            streets = [("streets", s.pk) for s in self.streets.all()]
            if streets:
                query += "&" + urlencode(streets)
        return f"/warnings/new/?{query}"


class StationKind(models.TextChoices):
    RAIN = "rain", _("Rain gauge station")
    RIVER = "river", _("River level station")
    LAKE = "lake", _("Lake level station")
    RESERVOIR = "reservoir", _("Reservoir level station")
    WATERLOGGING = "waterlogging", _("Waterlogging point (易涝点)")


class HydroStation(models.Model):
    """A device's hydrological role: a rain gauge and the streets it serves, a river / lake / reservoir level
    station with its 设防 / 警戒 / 保证 levels (entered by the bureau), or a waterlogging point (易涝点) with its
    depth threshold and the person responsible. Seen through its device's owner."""

    device = models.OneToOneField(Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="station")
    kind = models.CharField(_("kind"), max_length=14, choices=StationKind.choices)
    serves = models.ManyToManyField(
        OrgUnit, verbose_name=_("streets served"), blank=True, related_name="hydro_stations"
    )
    max_gap_minutes = models.PositiveIntegerField(
        _("longest silence before a gap (minutes)"), default=20, help_text=_("Rain gauges: longer is shown as a gap.")
    )
    fortify_level = models.FloatField(_("fortification level (设防, m)"), null=True, blank=True)
    warning_level = models.FloatField(_("warning level (警戒, m)"), null=True, blank=True)
    guarantee_level = models.FloatField(_("guaranteed level (保证, m)"), null=True, blank=True)
    level_deadband = models.FloatField(_("level deadband (m)"), default=0.05)
    depth_threshold_m = models.FloatField(_("depth alarm threshold (m)"), null=True, blank=True)
    responsible_name = models.CharField(_("responsible person"), max_length=60, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=30, blank=True)
    rule = models.OneToOneField(
        Rule,
        verbose_name=_("level rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="station",
        editable=False,
    )

    class Meta:
        ordering = ["kind", "device__code"]
        verbose_name = _("hydrological station")
        verbose_name_plural = _("hydrological stations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(fortify_level__isnull=True)
                    | Q(warning_level__isnull=True)
                    | Q(fortify_level__lte=models.F("warning_level"))
                )
                & (
                    Q(warning_level__isnull=True)
                    | Q(guarantee_level__isnull=True)
                    | Q(warning_level__lte=models.F("guarantee_level"))
                ),
                name="%(app_label)s_%(class)s_levels_rise",
                violation_error_message=_("设防 ≤ 警戒 ≤ 保证."),
            ),
            models.CheckConstraint(
                condition=Q(level_deadband__gte=0),
                name="%(app_label)s_%(class)s_deadband_not_negative",
                violation_error_message=_("The deadband cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.name} ({self.get_kind_display()})"

    @property
    def levels(self) -> dict[str, float | None]:
        return {
            Stage.FORTIFY: self.fortify_level,
            Stage.WARNING: self.warning_level,
            Stage.GUARANTEE: self.guarantee_level,
        }

    @property
    def max_gap(self) -> timedelta:
        return timedelta(minutes=self.max_gap_minutes)


class RainstormCriterion(models.Model):
    """One level of the rainstorm signal as the bureau applies it (the national criteria by default)."""

    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    hours = models.PositiveSmallIntegerField(_("within (hours)"))
    mm = models.FloatField(_("rain at least (mm)"))
    guidance = models.TextField(_("defence guidance (防御指南)"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hours", "mm", "id"]
        verbose_name = _("rainstorm signal criterion")
        verbose_name_plural = _("rainstorm signal criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=24) & Q(mm__gt=0),
                name="%(app_label)s_%(class)s_sensible",
                violation_error_message=_("Hours from 1 to 24 and a positive amount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.mm:g} mm / {self.hours} h"


class FloodResponseRule(models.Model):
    """A 防汛 response level proposed when enough stations are at or over a stage (kept by the bureau)."""

    level = models.PositiveSmallIntegerField(_("response level"), choices=ResponseLevel.choices)
    stage = models.CharField(_("stage reached"), max_length=10, choices=Stage.choices)
    min_stations = models.PositiveSmallIntegerField(_("at least (stations)"), default=1)
    station_kind = models.CharField(_("station kind"), max_length=14, choices=StationKind.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-level", "id"]
        verbose_name = _("flood response rule")
        verbose_name_plural = _("flood response rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_stations__gte=1),
                name="%(app_label)s_%(class)s_min_stations",
                violation_error_message=_("At least one station."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.min_stations} × {self.get_stage_display()}"


class FloodResponseStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("flood response", "Proposed")
    SUPERSEDED = "superseded", pgettext_lazy("flood response", "Superseded by a higher level")
    ENDED = "ended", pgettext_lazy("flood response", "Ended")


class FloodResponse(models.Model):
    """A 三防 (防汛) response level the level stations' state proposed, from the moment it was reached until a more
    severe level supersedes it or every station is back below 设防. District-wide: the district's 防汛 command
    decides, so the row belongs to no unit below it. At most one is proposed at a time."""

    level = models.PositiveSmallIntegerField(_("response level"), choices=ResponseLevel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=FloodResponseStatus.choices, default=FloodResponseStatus.PROPOSED
    )
    basis = models.CharField(_("basis"), max_length=300)
    stations = models.JSONField(_("stations at or over a stage"), default=list, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), db_index=True)
    ended_at = models.DateTimeField(pgettext_lazy("flood response", "ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("flood response proposal")
        verbose_name_plural = _("flood response proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="proposed"),
                name="%(app_label)s_%(class)s_one_proposed",
                violation_error_message=_("A flood response is already proposed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.get_status_display()})"


class ModbusEndpoint(models.Model):
    """Where the Modbus TCP poller reads a device: host, port, unit id, the register map of its profile."""

    device = models.OneToOneField(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="modbus")
    host = models.CharField(_("host"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=502)
    unit_id = models.PositiveSmallIntegerField(_("unit id"), default=1)
    profile = models.CharField(_("register map profile"), max_length=40)
    interval_s = models.PositiveIntegerField(_("poll every (seconds)"), default=30)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["device__code"]
        verbose_name = _("Modbus endpoint")
        verbose_name_plural = _("Modbus endpoints")
        constraints = [
            models.CheckConstraint(
                condition=Q(port__gte=1, port__lte=65535) & Q(unit_id__lte=247) & Q(interval_s__gte=1),
                name="%(app_label)s_%(class)s_valid",
                violation_error_message=_("Port 1-65535, unit id 0-247, interval at least 1 s."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.code} @ {self.host}:{self.port}/{self.unit_id}"
