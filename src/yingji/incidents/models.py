"""The duty roster, incidents and their types, reports upward, command tasks, the timeline, dispatch orders and
the after-action review."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.geo import distance_label
from yingji.core.models import VALID_COORDINATES, OrgUnit

if TYPE_CHECKING:
    from yingji.resources.models import Equipment, Expert, Team


class Category(models.TextChoices):
    """The four categories of emergency of the Emergency Response Law (突发事件应对法, art. 3, 2007 text)."""

    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    ACCIDENT = "accident", _("Accident")
    PUBLIC_HEALTH = "public_health", _("Public health event")
    SOCIAL_SAFETY = "social_safety", _("Social safety event")


class Source(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TRANSFER_110 = "transfer_110", _("110 transfer")
    TRANSFER_119 = "transfer_119", _("119 transfer")
    TRANSFER_120 = "transfer_120", _("120 transfer")
    STREET = "street", _("Street report")
    ENTERPRISE = "enterprise", _("Enterprise report")
    SENSOR = "sensor", _("Sensor alarm")
    PORTAL = "portal", _("Public portal")


class Grade(models.TextChoices):
    """Accident grades of State Council Order 493, art. 3."""

    I = "I", _("Especially serious")  # noqa: E741 — the grade is called I
    II = "II", _("Serious")
    III = "III", _("Relatively serious")
    IV = "IV", _("Ordinary")


class ResponseLevel(models.TextChoices):
    I = "I", _("Level I response")  # noqa: E741
    II = "II", _("Level II response")
    III = "III", _("Level III response")
    IV = "IV", _("Level IV response")


class Status(models.TextChoices):
    OPEN = "open", _("Received")
    RESPONDING = "responding", _("Responding")
    CLOSED = "closed", pgettext_lazy("incident", "Closed")
    MERGED = "merged", _("Merged into another")


class DutyShift(models.Model):
    """One shift of the duty roster (值班表): who is duty officer and who is duty leader from when to when."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("duty officer"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("duty leader"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("duty phone"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="%(app_label)s_%(class)s_ends_after_start"
            ),
            models.UniqueConstraint(fields=["org", "starts_at"], name="%(app_label)s_%(class)s_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.officer} / {self.leader}"


class Handover(models.Model):
    """A handover entry (交接班记录) written when one shift hands over to the next."""

    shift = models.ForeignKey(DutyShift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="handovers")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    notes = models.TextField(_("notes"))
    open_items = models.TextField(_("open items"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.by}"


class IncidentType(models.Model):
    """An entry of the maintained incident taxonomy; `order493` marks the production-safety accident types that
    State Council Order 493 grades."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    order493 = models.BooleanField(_("graded under Order 493"), default=False)
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        constraints = [models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code")]

    def __str__(self) -> str:
        return self.name


class Incident(models.Model):
    """An emergency from the first report to the review. `org` is the street or enterprise where it happened
    and scopes who may see it."""

    code = models.CharField(_("number"), max_length=20, editable=False)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    type = models.ForeignKey(IncidentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.PHONE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    description = models.TextField(_("description"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"))
    reporter_name = models.CharField(_("reporter"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=40, blank=True)
    enterprise = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enterprise involved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "enterprise"},
    )
    org = models.ForeignKey(OrgUnit, verbose_name=_("where"), on_delete=models.PROTECT, related_name="+")
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    serious_injuries = models.PositiveIntegerField(
        _("serious injuries"), default=0, help_text=_("Including acute industrial poisoning.")
    )
    minor_injuries = models.PositiveIntegerField(_("minor injuries"), default=0)
    direct_loss_yuan = models.PositiveBigIntegerField(_("direct economic loss (yuan)"), default=0)
    grade = models.CharField(_("grade"), max_length=3, choices=Grade.choices, blank=True)
    report_deadline = models.DateTimeField(_("next report due"), null=True, blank=True)
    response_level = models.CharField(_("response level"), max_length=3, choices=ResponseLevel.choices, blank=True)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incident commander"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    post_lat = models.FloatField(_("command post latitude"), null=True, blank=True)
    post_lon = models.FloatField(_("command post longitude"), null=True, blank=True)
    post_address = models.CharField(_("command post"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    exercise = models.BooleanField(
        _("exercise"), default=False, help_text=_("Made in a drill: never public, never counted in statistics.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the platform recorded it (an alarm rule)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [("command_incident", _("Can command incidents"))]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
        ]
        indexes = [models.Index(fields=["status", "report_deadline"], name="incidents_open_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in (Status.OPEN, Status.RESPONDING)


class ReportKind(models.TextChoices):
    INITIAL = "initial", _("Initial report")
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Report(models.Model):
    """A report upward (初报/续报/终报): due by `due_at`; once sent, its document is frozen with its send time."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recipient = models.CharField(_("reported to"), max_length=120)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.TextField(_("document (HTML)"), blank=True)
    # The document model (`documents.Document`) as sent: the HTML copy and the Word file both render from it.
    content = models.JSONField(_("document content"), default=dict, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["status", "due_at"], name="incidents_report_due_idx")]

    def __str__(self) -> str:
        return f"{self.incident.code} {self.get_kind_display()}"


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    """A command task given to an org unit or a person, with a deadline."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee_org = models.ForeignKey(
        OrgUnit, verbose_name=_("assigned unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee_org__isnull=False) | models.Q(assignee_user__isnull=False),
                name="%(app_label)s_%(class)s_has_assignee",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    UPDATE = "update", _("Update")
    CASUALTIES = "casualties", _("Casualty figures")
    GRADE = "grade", _("Grade change")
    REPORT = "report", _("Report")
    COMMAND = "command", _("Command")
    TASK = "task", _("Task")
    DISPATCH = "dispatch", _("Dispatch")
    NOTE = "note", _("Note")
    ALARM = "alarm", _("Linked alarm")
    MERGE = "merge", _("Merge")
    STATUS = "status", _("Status")
    ESCALATION = "escalation", _("Escalation")


class IncidentCounter(models.Model):
    """The last incident number given out on a day; intake locks it, so numbers never collide."""

    day = models.DateField(_("day"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("incident counter")
        verbose_name_plural = _("incident counters")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}: {self.last}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the duty officer")
    CONFIRMED = "confirmed", _("Incident opened")
    ATTACHED = "attached", _("Attached to an open incident")
    DISMISSED = "dismissed", _("Dismissed")


class IncidentProposal(models.Model):
    """An incident an alarm suggests: the duty officer opens it, attaches the alarm to an incident already open
    (of the same enterprise, say), or dismisses it with a reason."""

    alarm = models.ForeignKey("monitoring.Alarm", verbose_name=_("alarm"), on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(
        OrgUnit, verbose_name=pgettext_lazy("organisation", "unit"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    type = models.ForeignKey(IncidentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="proposals", null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("incident proposal")
        verbose_name_plural = _("incident proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["alarm"],
                condition=models.Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending_per_alarm",
                violation_error_message=_("This alarm already waits for a decision."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class TimelineEntry(models.Model):
    """One event of an incident's timeline, with who and when. Appended only."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="timeline"
    )
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    text = models.CharField(_("text"), max_length=500)
    payload = models.JSONField(_("payload"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text}"


class DispatchStatus(models.TextChoices):
    DISPATCHED = "dispatched", _("Dispatched")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    RELEASED = "released", _("Released")


class Review(models.Model):
    """The after-action review (总结评估) of a closed incident: findings and improvement actions."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="review"
    )
    findings = models.TextField(pgettext_lazy("assessment", "findings"), blank=True)
    improvements = models.TextField(_("improvement actions"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("after-action review")
        verbose_name_plural = _("after-action reviews")

    def __str__(self) -> str:
        return f"{self.incident.code}"


class Dispatch(models.Model):
    """A dispatch order (调度指令) sending one team, piece of equipment or expert to an incident, with the time of
    each step of its lifecycle."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="dispatches"
    )
    team = models.ForeignKey(
        "resources.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    equipment = models.ForeignKey(
        "resources.Equipment",
        verbose_name=_("equipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expert = models.ForeignKey(
        "resources.Expert", verbose_name=_("expert"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DispatchStatus.choices, default=DispatchStatus.DISPATCHED
    )
    eta_s = models.PositiveIntegerField(_("travel time at dispatch (s)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("road distance (m)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dispatched by"), on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    en_route_at = models.DateTimeField(_("en route at"), null=True, blank=True)
    on_scene_at = models.DateTimeField(_("on scene at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["dispatched_at", "id"]
        verbose_name = _("dispatch order")
        verbose_name_plural = _("dispatch orders")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(team__isnull=False, equipment__isnull=True, expert__isnull=True)
                    | models.Q(team__isnull=True, equipment__isnull=False, expert__isnull=True)
                    | models.Q(team__isnull=True, equipment__isnull=True, expert__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_resource",
            )
        ]
        # Statistics count dispatches by the time they went out (a month, a year).
        indexes = [models.Index(fields=["dispatched_at"], name="incidents_dispatched_at_idx")]

    def __str__(self) -> str:
        return f"{self.incident.code} → {self.resource_name}"

    @property
    def distance_label(self) -> str:
        """The road distance as people read it: metres under 1 km, else kilometres to one decimal."""
        return distance_label(self.distance_m) if self.distance_m is not None else ""

    @property
    def resource(self) -> "Team | Equipment | Expert":
        resource = self.team or self.equipment or self.expert
        assert resource is not None  # the check constraint: exactly one of them
        return resource

    @property
    def resource_kind(self) -> str:
        return "team" if self.team_id else "equipment" if self.equipment_id else "expert"

    @property
    def resource_name(self) -> str:
        return str(self.resource)


class MaterialRequest(models.Model):
    """Materials requested for an incident and issued from a warehouse as stock-ledger movements."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="material_requests"
    )
    warehouse = models.ForeignKey(
        "resources.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "resources.MaterialItem", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_at = models.DateTimeField(pgettext_lazy("stock", "issued at"))

    class Meta:
        ordering = ["-fulfilled_at", "-id"]
        verbose_name = _("material request")
        verbose_name_plural = _("material requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="%(app_label)s_%(class)s_positive")
        ]

    def __str__(self) -> str:
        return f"{self.incident.code} {self.item} × {self.quantity}"


class PlanActivation(models.Model):
    """A plan activated for an incident at a response level; raising the level adds that level's tasks. One row
    per plan and incident: activating again at the same level changes nothing."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="plan_activations"
    )
    plan = models.ForeignKey("plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("response level"), max_length=3, choices=ResponseLevel.choices)
    levels = models.JSONField(_("levels activated"), default=list, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("activated by"), on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(_("activated at"))
    raised_at = models.DateTimeField(_("level last raised at"), null=True, blank=True)

    class Meta:
        ordering = ["activated_at", "id"]
        verbose_name = _("plan activation")
        verbose_name_plural = _("plan activations")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "plan"],
                name="%(app_label)s_%(class)s_unique_plan",
                violation_error_message=_("This plan is already activated for the incident."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident.code} {self.plan} {self.level}"


class ActivationTask(models.Model):
    """The task an activation created from one step of the plan, so a step never becomes two tasks."""

    activation = models.ForeignKey(
        PlanActivation, verbose_name=_("activation"), on_delete=models.PROTECT, related_name="links"
    )
    step = models.ForeignKey(
        "plans.PlanStep",
        verbose_name=_("plan step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("response level"), max_length=3, choices=ResponseLevel.choices)
    task = models.OneToOneField(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="plan_link")

    class Meta:
        ordering = ["activation", "id"]
        verbose_name = _("task from a plan step")
        verbose_name_plural = _("tasks from plan steps")
        constraints = [
            models.UniqueConstraint(
                fields=["activation", "step"],
                name="%(app_label)s_%(class)s_unique_step",
                violation_error_message=_("This step already has its task."),
            )
        ]

    def __str__(self) -> str:
        return str(self.task)
