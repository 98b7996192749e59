"""Emergency plans as data: the registry, the plan's body structured by GB/T 29639-2020 (roles, response levels
with triggers, steps per level and role, information reporting, linked resources, annexes), versions, attachments,
expert review, filing with its per-year counter, drills with their evaluation, and the scenario library."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.core.models import VALID_COORDINATES, OrgUnit


class PlanLevel(models.TextChoices):
    """Where a plan sits in the plan system (突发事件应急预案管理办法 art. 6-7; GB/T 29639-2020 ch. 5)."""

    DISTRICT_OVERALL = "district_overall", _("District overall plan")
    DISTRICT_SPECIAL = "district_special", _("District special plan")
    DEPARTMENT = "department", _("Department plan")
    STREET = "street", _("Street plan")
    COMMUNITY = "community", _("Community plan")
    ENTERPRISE_COMPREHENSIVE = "enterprise_comprehensive", _("Enterprise comprehensive plan")
    ENTERPRISE_SPECIAL = "enterprise_special", _("Enterprise special plan")
    ENTERPRISE_ONSITE = "enterprise_onsite", _("Enterprise on-site disposal plan")


ENTERPRISE_LEVELS = (PlanLevel.ENTERPRISE_COMPREHENSIVE, PlanLevel.ENTERPRISE_SPECIAL, PlanLevel.ENTERPRISE_ONSITE)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    FILED = "filed", _("Filed")
    REVISING = "revising", _("Being revised")
    ABOLISHED = "abolished", _("Abolished")


# A plan in these states is the one in force: it is matched to incidents and may be activated.
IN_FORCE = (PlanStatus.APPROVED, PlanStatus.FILED, PlanStatus.REVISING)


class ResponseLevel(models.TextChoices):
    """Response levels, I the most severe."""

    I = "I", _("Level I")  # noqa: E741 — the level is called I
    II = "II", _("Level II")
    III = "III", _("Level III")
    IV = "IV", _("Level IV")


# Severity order: a higher rank is a more severe response.
LEVEL_RANK: dict[str, int] = {"IV": 1, "III": 2, "II": 3, "I": 4}


class Plan(models.Model):
    """An emergency plan: who owns it, what it covers, where it stands in review and filing."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("plan owner"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("plan level"), max_length=30, choices=PlanLevel.choices)
    incident_types = models.JSONField(
        _("incident types covered"), default=list, blank=True, help_text=_("Incident type codes; empty: every type.")
    )
    response_levels = models.JSONField(_("response levels covered"), default=list, blank=True)
    scope = models.TextField(_("scope of application"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    evaluated_on = models.DateField(
        _("last evaluated on"), null=True, blank=True, help_text=_("Empty: counted from approval.")
    )
    evaluation_reminded_for = models.DateField(_("evaluation reminder sent for"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["level", "title", "id"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        permissions = [
            ("review_plan", _("Can review and approve plans")),
            ("file_plan", _("Can file plans with the district")),
        ]
        indexes = [models.Index(fields=["status", "level"], name="plans_plan_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


class SectionPart(models.TextChoices):
    """The parts of a plan's text (GB/T 29639-2020 ch. 6-9) that are kept as prose."""

    GENERAL = "general", _("General provisions")
    ORGANISATION = "organisation", _("Organisation and duties")
    LEVELS = "levels", _("Response levels")
    RESPONSE = "response", _("Emergency response")
    REPORTING = "reporting", _("Information reporting")
    AFTERMATH = "aftermath", _("Aftermath")
    SUPPORT = "support", _("Support")
    ANNEX = "annex", _("Annexes")
    OTHER = "other", _("Other")


class PlanSection(models.Model):
    """A heading of the plan with its prose, filed under the GB/T 29639-2020 part it belongs to."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="sections")
    part = models.CharField(_("part"), max_length=20, choices=SectionPart.choices)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("body text"), blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["plan", "sort", "id"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")

    def __str__(self) -> str:
        return self.heading


class PlanRole(models.Model):
    """A role of the plan's organisation (GB/T 29639-2020 6.2): its duties, the unit that fills it, its contact."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("post or role"), max_length=80)
    duties = models.TextField(_("duties"), blank=True)
    org = models.ForeignKey(
        OrgUnit, verbose_name=_("unit responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["plan", "sort", "id"]
        verbose_name = _("plan role")
        verbose_name_plural = _("plan roles")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("The plan already has a role of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlanTier(models.Model):
    """A response level the plan provides, with the trigger that starts it (GB/T 29639-2020 6.1.2, 6.3.3)."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="tiers")
    level = models.CharField(_("level of response"), max_length=3, choices=ResponseLevel.choices)
    trigger = models.TextField(_("trigger"))

    class Meta:
        ordering = ["plan", "-level"]
        verbose_name = _("response level of a plan")
        verbose_name_plural = _("response levels of plans")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "level"],
                name="%(app_label)s_%(class)s_unique_level",
                violation_error_message=_("The plan already has this response level."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.level}"


class PlanStep(models.Model):
    """One response step: at a level, for a role, in order (GB/T 29639-2020 6.3.4)."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="steps")
    level = models.CharField(_("level of response"), max_length=3, choices=ResponseLevel.choices)
    role = models.ForeignKey(
        PlanRole, verbose_name=_("post or role"), null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    order = models.PositiveIntegerField(_("order"), default=1)
    action = models.CharField(_("response action"), max_length=300)
    due_minutes = models.PositiveIntegerField(_("due within (minutes)"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "level", "role__sort", "order", "id"]
        verbose_name = _("response step")
        verbose_name_plural = _("response steps")

    def __str__(self) -> str:
        return self.action


class PlanReporting(models.Model):
    """An information-reporting duty (GB/T 29639-2020 6.3.1): what, by whom, to whom, within how long."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="reporting")
    role = models.ForeignKey(
        PlanRole,
        verbose_name=_("post or role"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting",
    )
    what = models.CharField(_("what to report"), max_length=300)
    recipient = models.CharField(_("report to"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    within_minutes = models.PositiveIntegerField(_("within (minutes)"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("reporting duty")
        verbose_name_plural = _("reporting duties")

    def __str__(self) -> str:
        return self.what


class PlanResource(models.Model):
    """A resource the plan counts on, linked to the resource registries (GB/T 29639-2020 6.5, annex 9.4)."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="resources")
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
    warehouse = models.ForeignKey(
        "resources.Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expert = models.ForeignKey(
        "resources.Expert", verbose_name=_("expert"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("linked resource")
        verbose_name_plural = _("linked resources")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(team__isnull=False, equipment__isnull=True, warehouse__isnull=True, expert__isnull=True)
                    | models.Q(team__isnull=True, equipment__isnull=False, warehouse__isnull=True, expert__isnull=True)
                    | models.Q(team__isnull=True, equipment__isnull=True, warehouse__isnull=False, expert__isnull=True)
                    | models.Q(team__isnull=True, equipment__isnull=True, warehouse__isnull=True, expert__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_resource",
                violation_error_message=_("Link exactly one team, piece of equipment, warehouse or expert."),
            )
        ]

    def __str__(self) -> str:
        return str(self.resource)

    @property
    def resource(self) -> models.Model | None:
        return self.team or self.equipment or self.warehouse or self.expert

    @property
    def kind(self) -> str:
        for name in ("team", "equipment", "warehouse", "expert"):
            if getattr(self, f"{name}_id"):
                return name
        return ""


class PlanAnnex(models.Model):
    """An annex (GB/T 29639-2020 ch. 9): contact lists, formatted texts, maps and routes, agreements."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.CASCADE, related_name="annexes")
    title = models.CharField(_("name"), max_length=200)
    body = models.TextField(_("body text"), blank=True)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["plan", "sort", "id"]
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """A frozen copy of the plan's structured body as readable text, to compare with the next one."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("body text"))
    note = models.CharField(_("remark"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This version number is taken."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanAttachment(models.Model):
    """The original Word or PDF file of a plan, kept with its SHA-256 so a copy can be checked against it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("emergency plan"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="plans/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Conclusion(models.TextChoices):
    PASS = "pass", _("Review passed")
    REVISE = "revise", _("Passed after revision")
    FAIL = "fail", _("Not passed")


class PlanReview(models.Model):
    """An expert review (评审) of a plan: the experts from the expert registry, their comments, the conclusion."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.PROTECT, related_name="reviews")
    version = models.PositiveIntegerField(_("version reviewed"))
    experts = models.ManyToManyField("resources.Expert", verbose_name=_("experts"), blank=True, related_name="+")
    comments = models.TextField(_("comments"), blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices, blank=True)
    started_at = models.DateTimeField(_("started at"))
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "-started_at"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"


class FilingCounter(models.Model):
    """The last filing number handed out in a year; locked while a plan is filed so numbers never repeat."""

    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("filing counter")
        verbose_name_plural = _("filing counters")
        constraints = [
            models.UniqueConstraint(
                fields=["year"], name="%(app_label)s_%(class)s_unique_year", violation_error_message=_("One per year.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PlanFiling(models.Model):
    """A filing (备案) of a plan with the district: its number, unique and sequential per year, and receipt."""

    plan = models.ForeignKey(Plan, verbose_name=_("emergency plan"), on_delete=models.PROTECT, related_name="filings")
    version = models.PositiveIntegerField(_("version filed"))
    year = models.PositiveIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("filing number"), max_length=40)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("plan filing")
        verbose_name_plural = _("plan filings")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"],
                name="%(app_label)s_%(class)s_unique_seq",
                violation_error_message=_("This filing number is taken."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This filing number is taken."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


# --- drills ---------------------------------------------------------------------------------------------------


class DrillContent(models.TextChoices):
    """AQ/T 9007-2019: by content."""

    COMPREHENSIVE = "comprehensive", _("Comprehensive (full-scale)")
    SINGLE = "single", _("Single-function")


class DrillForm(models.TextChoices):
    """AQ/T 9007-2019: by form."""

    TABLETOP = "tabletop", _("Tabletop")
    FIELD = "field", _("Field (live)")


class DrillStatus(models.TextChoices):
    PLANNED = "planned", _("Drill planned")
    DONE = "done", _("Drill done")
    EVALUATED = "evaluated", _("Evaluated")
    CANCELLED = "cancelled", _("Called off")


class Drill(models.Model):
    """A drill (演练) of one or more plans: its plan, type, scenario, participants, and afterwards its score."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("drill organiser"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("name"), max_length=200)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan drilled"), null=True, blank=True, on_delete=models.PROTECT, related_name="drills"
    )
    scenario = models.ForeignKey(
        "Scenario", verbose_name=_("scenario"), null=True, blank=True, on_delete=models.PROTECT, related_name="drills"
    )
    content = models.CharField(_("content"), max_length=20, choices=DrillContent.choices)
    form = models.CharField(_("form"), max_length=20, choices=DrillForm.choices)
    participants = models.TextField(_("participants"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=12, choices=DrillStatus.choices, default=DrillStatus.PLANNED)
    metrics = models.JSONField(_("measured from the logs"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("drill score"), null=True, blank=True)
    findings = models.TextField(_("problems found"), blank=True)
    improvements = models.TextField(_("improvement tasks"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="%(app_label)s_%(class)s_score_in_range",
                violation_error_message=_("A drill score lies between 0 and 100."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemResult(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class DrillEvaluationItem(models.Model):
    """One checklist item of the drill evaluation form (AQ/T 9009-2015 annex A), marked yes or no with a reason."""

    drill = models.ForeignKey(Drill, verbose_name=_("drill"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("checklist item"), max_length=10)
    group = models.CharField(_("checklist group"), max_length=60)
    text = models.CharField(_("requirement"), max_length=300)
    result = models.CharField(_("evaluation result"), max_length=3, choices=ItemResult.choices, blank=True)
    reason = models.CharField(_("explanation of the result"), max_length=300, blank=True)

    class Meta:
        ordering = ["drill", "id"]
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        constraints = [
            models.UniqueConstraint(
                fields=["drill", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("The form already has this item."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


# --- scenarios ------------------------------------------------------------------------------------------------


class Scenario(models.Model):
    """A scenario of the library (情景库): the event chain, the affected area, expected casualties and what it takes."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("name"), max_length=200)
    incident_type = models.CharField(_("incident type"), max_length=40, blank=True)
    event_chain = models.TextField(_("event chain"), blank=True)
    affected_area = models.TextField(_("affected area"), blank=True)
    radius_m = models.PositiveIntegerField(_("affected radius (m)"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    expected_deaths = models.PositiveIntegerField(_("expected deaths"), default=0)
    expected_injuries = models.PositiveIntegerField(_("expected injuries"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(
                condition=VALID_COORDINATES,
                name="%(app_label)s_%(class)s_valid_coordinates",
                violation_error_message=_("Give a latitude and a longitude in range, or neither."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ScenarioNeed(models.Model):
    """A resource the scenario needs: a kind ("team:fire_rescue", "equipment:pump") and how many."""

    scenario = models.ForeignKey(Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("resource kind"), max_length=40)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["scenario", "kind"]
        verbose_name = _("resource need")
        verbose_name_plural = _("resource needs")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "kind"],
                name="%(app_label)s_%(class)s_unique_kind",
                violation_error_message=_("The scenario already needs this kind."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="%(app_label)s_%(class)s_positive",
                violation_error_message=_("A need is at least one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} × {self.quantity}"

    @property
    def label(self) -> str:
        return need_label(self.kind)


def need_label(kind: str) -> str:
    """A resource kind as people read it: "team:flood" → the team kind's name, "equipment:pump" → the category's."""
    from yingji.resources.models import EquipmentCategory, TeamKind

    family, _sep, code = kind.partition(":")
    choices = dict(TeamKind.choices if family == "team" else EquipmentCategory.choices)
    return str(choices.get(code, kind))
