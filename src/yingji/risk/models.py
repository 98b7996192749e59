"""Dual prevention (双重预防): enterprise profiles, risk points, hidden dangers and their closed loop, major
hazard units (GB 18218-2018), inspections with double-random draws, enforcement documents, daily commitments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.core.models import OrgUnit

MAX_COUNT = 10**9


class IndustrySection(models.TextChoices):
    """Sections (门类) of GB/T 4754-2017 国民经济行业分类."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail")
    G = "G", _("G Transport, storage and post")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information technology services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Research and technical services")
    N = "N", _("N Water, environment and public facilities")
    O = "O", _("O Resident and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration and social organisations")
    T = "T", _("T International organisations")


class Scale(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class RiskFlag(models.TextChoices):
    """High-risk features the bureau watches."""

    HAZCHEM = "hazchem", _("Hazardous chemicals")
    MAJOR_HAZARD = "major_hazard", _("Major hazard installation")
    DUST = "dust", _("Combustible dust")
    AMMONIA = "ammonia", _("Ammonia refrigeration")
    CONFINED = "confined", _("Confined spaces")
    MOLTEN_METAL = "molten_metal", _("Molten metal")
    GAS = "gas", _("Gas")
    CROWDED = "crowded", _("Crowded place")


class EnterpriseProfile(models.Model):
    """The safety profile of one enterprise org unit (name, address, location and street live on the unit):
    its credit code, industry, scale, the people in charge, and the "five in place" (五落实) of emergency work."""

    org = models.OneToOneField(
        OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="risk_profile"
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry_section = models.CharField(
        _("industry section (GB/T 4754)"), max_length=1, choices=IndustrySection.choices, blank=True
    )
    industry_division = models.CharField(
        _("industry division (GB/T 4754)"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{2}$", _("Two digits, e.g. 26."))],
    )
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.SMALL)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    safety_manager = models.CharField(_("safety manager"), max_length=60, blank=True)
    safety_phone = models.CharField(_("safety manager's phone"), max_length=40, blank=True)
    employees = models.PositiveIntegerField(_("employees"), default=0, validators=[MaxValueValidator(MAX_COUNT)])
    hazardous_chemicals = models.TextField(_("hazardous chemicals kept"), blank=True, max_length=2000)
    high_risk = models.BooleanField(_("high-risk enterprise"), default=False)
    risk_flags = models.JSONField(_("high-risk features"), default=list, blank=True)
    has_emergency_org = models.BooleanField(_("emergency organisation in place"), default=False)
    emergency_staff = models.PositiveIntegerField(
        _("full-time emergency staff"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    has_plan = models.BooleanField(_("emergency plan in place"), default=False)
    has_drills = models.BooleanField(_("drills held this year"), default=False)
    has_materials = models.BooleanField(_("emergency materials in place"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["org__path"]
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~models.Q(uscc=""),
                name="%(app_label)s_%(class)s_unique_uscc",
                violation_error_message=_("Another enterprise has this credit code."),
            )
        ]

    def __str__(self) -> str:
        return self.org.name

    @property
    def five_in_place(self) -> bool:
        """Organisation, staff, plan, drills and materials (五落实) all in place."""
        organisation = self.has_emergency_org and self.emergency_staff > 0
        return bool(organisation and self.has_plan and self.has_drills and self.has_materials)

    @property
    def five_required(self) -> bool:
        """Large and medium enterprises and high-risk ones must have all five in place."""
        return self.high_risk or self.scale in (Scale.LARGE, Scale.MEDIUM)


class Colour(models.TextChoices):
    RED = "red", _("Red (major risk)")
    ORANGE = "orange", _("Orange (higher risk)")
    YELLOW = "yellow", _("Yellow (general risk)")
    BLUE = "blue", _("Blue (low risk)")


class Method(models.TextChoices):
    LEC = "lec", _("LEC (D = L × E × C)")
    MATRIX = "matrix", _("Risk matrix (likelihood × severity)")


class ControlLevel(models.TextChoices):
    COMPANY = "company", _("Company")
    WORKSHOP = "workshop", _("Workshop")
    TEAM = "team", _("Shift team")
    POST = "post", _("Post")


class RiskPoint(models.Model):
    """A risk point (风险点) of an enterprise: the hazard identified there, its assessment (LEC or the matrix),
    its colour, and who controls it with which measures. The colour is computed by the service, never typed."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("risk point name"), max_length=120)
    location = models.CharField(_("place"), max_length=200, blank=True)
    hazard = models.TextField(_("hazard identified"), max_length=2000)
    accident_types = models.CharField(_("possible accidents"), max_length=200, blank=True)
    method = models.CharField(_("assessment method"), max_length=10, choices=Method.choices)
    l_value = models.DecimalField(_("L (likelihood)"), max_digits=5, decimal_places=2, null=True, blank=True)
    e_value = models.DecimalField(_("E (exposure)"), max_digits=5, decimal_places=2, null=True, blank=True)
    c_value = models.DecimalField(_("C (consequence)"), max_digits=5, decimal_places=2, null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    severity = models.PositiveSmallIntegerField(
        _("severity (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score = models.DecimalField(_("score"), max_digits=10, decimal_places=3)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices, db_index=True)
    control_measures = models.TextField(_("control measures"), max_length=4000, blank=True)
    control_level = models.CharField(_("control level"), max_length=10, choices=ControlLevel.choices)
    responsible = models.CharField(_("responsible person"), max_length=60)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=40, blank=True)
    emergency_measures = models.TextField(_("emergency measures"), max_length=2000, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["org_id", "name", "id"]
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(method="lec", l_value__isnull=False, e_value__isnull=False, c_value__isnull=False)
                    | models.Q(method="matrix", likelihood__isnull=False, severity__isnull=False)
                ),
                name="%(app_label)s_%(class)s_assessed",
                violation_error_message=_("Give L, E and C for LEC, or likelihood and severity for the matrix."),
            )
        ]
        indexes = [models.Index(fields=["org", "active", "colour"], name="risk_point_org_colour_idx")]

    def __str__(self) -> str:
        return self.name


class DangerSource(models.TextChoices):
    SELF = "self", _("Enterprise self-inspection")
    INSPECTOR = "inspector", _("Inspection by the authorities")
    PUBLIC = "public", _("Public report")


class DangerGrade(models.TextChoices):
    """一般 / 重大事故隐患 (原安监总局令第16号, art. 3)."""

    GENERAL = "general", _("General")
    MAJOR = "major", _("Major")


class DangerStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RECTIFYING = "rectifying", _("Rectification assigned")
    RECTIFIED = "rectified", _("Rectified, awaiting verification")
    ACCEPTED = "accepted", _("Rectification accepted")
    CLOSED = "closed", _("Closed out")


OPEN_STATUSES = (DangerStatus.REPORTED, DangerStatus.RECTIFYING, DangerStatus.RECTIFIED, DangerStatus.ACCEPTED)


class HiddenDanger(models.Model):
    """A hidden danger (事故隐患) and its closed loop: reported → rectification assigned with the "five in
    place" (measures, responsible person, funds, deadline, interim safety measures) → rectified with photo
    evidence → verified (or returned) → closed (销号). Never deleted; every step is an event and an audit entry."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("risk point"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    title = models.CharField(_("what was found"), max_length=200)
    description = models.TextField(_("details"), max_length=4000, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    source = models.CharField(_("found by"), max_length=10, choices=DangerSource.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=DangerGrade.choices, default=DangerGrade.GENERAL)
    status = models.CharField(
        _("status"), max_length=12, choices=DangerStatus.choices, default=DangerStatus.REPORTED, db_index=True
    )
    found_at = models.DateTimeField(_("found at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    measures = models.TextField(_("rectification measures"), max_length=4000, blank=True)
    responsible = models.CharField(_("responsible person"), max_length=60, blank=True)
    funds = models.DecimalField(_("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    interim_measures = models.TextField(_("interim safety measures"), max_length=2000, blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectification_note = models.TextField(_("rectification note"), max_length=2000, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    closed_at = models.DateTimeField(_("closed out at"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("hidden danger")
        verbose_name_plural = _("hidden dangers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(funds__isnull=True) | models.Q(funds__gte=0),
                name="%(app_label)s_%(class)s_funds_not_negative",
                violation_error_message=_("Funds cannot be negative."),
            )
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="risk_danger_org_status_idx"),
            models.Index(fields=["status", "deadline"], name="risk_danger_due_idx"),
            # The list's order: newest first, paginated.
            models.Index(fields=["-found_at", "-id"], name="risk_danger_found_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def supervised(self) -> bool:
        """Major hidden dangers are on the bureau's supervised list (挂牌督办)."""
        return self.grade == DangerGrade.MAJOR


class DangerEvent(models.Model):
    """One step of a hidden danger's closed loop: who moved it from which status to which, and why."""

    danger = models.ForeignKey(HiddenDanger, verbose_name=_("hidden danger"), on_delete=models.PROTECT,
                               related_name="events")  # fmt: skip
    from_status = models.CharField(_("from status"), max_length=12, choices=DangerStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, choices=DangerStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    note = models.TextField(_("note"), max_length=2000, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hidden-danger step")
        verbose_name_plural = _("hidden-danger steps")

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class PhotoStage(models.TextChoices):
    FOUND = "found", _("As found")
    RECTIFIED = "rectified", _("After rectification")


class DangerPhoto(models.Model):
    """A photo of a hidden danger, stored in the data directory under its SHA-256."""

    danger = models.ForeignKey(HiddenDanger, verbose_name=_("hidden danger"), on_delete=models.PROTECT,
                               related_name="photos")  # fmt: skip
    stage = models.CharField(_("photo stage"), max_length=10, choices=PhotoStage.choices)
    path = models.CharField(_("stored file"), max_length=300, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
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
        ordering = ["uploaded_at", "id"]
        verbose_name = _("hidden-danger photo")
        verbose_name_plural = _("hidden-danger photos")

    def __str__(self) -> str:
        return f"{self.danger_id} {self.stage} {self.sha256[:12]}"


class UnitKind(models.TextChoices):
    PRODUCTION = "production", _("Production unit")
    STORAGE = "storage", _("Storage unit")


class HazardUnit(models.Model):
    """A production or storage unit of an enterprise with its hazardous chemicals, identified and graded by
    GB 18218-2018 (the result is recomputed by the service whenever the inputs change)."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("unit name"), max_length=120)
    kind = models.CharField(_("type of unit"), max_length=12, choices=UnitKind.choices)
    items = models.JSONField(_("substances and maximum quantities"), default=list)
    exposed_people = models.PositiveIntegerField(
        _("people within 500 m"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    s_value = models.DecimalField(_("S"), max_digits=16, decimal_places=6, default=0)
    is_major = models.BooleanField(_("major hazard"), default=False, db_index=True)
    r_value = models.DecimalField(_("R"), max_digits=16, decimal_places=6, null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    devices = models.ManyToManyField(
        "monitoring.Device", verbose_name=_("monitoring devices"), blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["org_id", "name"]
        verbose_name = _("hazard unit")
        verbose_name_plural = _("hazard units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=4),
                name="%(app_label)s_%(class)s_grade_range",
                violation_error_message=_("A grade is 1 to 4."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class InspectionPlan(models.Model):
    """An annual inspection plan of the bureau or a street."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("planning unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("what was found"), max_length=200)
    planned = models.PositiveIntegerField(
        _("inspections planned"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
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
        ordering = ["-year", "title"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title


class Draw(models.Model):
    """A recorded double-random draw: the seed and both pools, so anyone can re-run it (risk/draw.py)."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="draws")
    seed = models.CharField(_("seed"), max_length=100)
    enterprise_pool = models.JSONField(_("enterprise pool"))
    inspector_pool = models.JSONField(_("inspector pool"))
    count = models.PositiveIntegerField(_("enterprises drawn"))
    inspectors_per = models.PositiveSmallIntegerField(_("inspectors per enterprise"), default=2)
    result = models.JSONField(_("result"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("double-random draw")
        verbose_name_plural = _("double-random draws")

    def __str__(self) -> str:
        return f"{self.plan} · {self.seed}"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class Inspection(models.Model):
    """An inspection of one enterprise (planned by a draw, or ad hoc); its findings become hidden dangers."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="inspections",
    )  # fmt: skip
    draw = models.ForeignKey(
        Draw, verbose_name=_("draw"), null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="+")
    self_inspection = models.BooleanField(_("enterprise self-inspection"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    checklist = models.JSONField(_("checklist results"), default=list, blank=True)
    summary = models.TextField(_("findings summary"), max_length=4000, blank=True)
    reinspect_by = models.DateField(_("re-inspect by"), null=True, blank=True)
    reminded_on = models.DateField(_("re-inspection reminder sent"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-planned_for", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.org} {self.planned_for or ''}"


class DocumentKind(models.TextChoices):
    ORDER = "order", _("Order to rectify within a time limit")
    PENALTY = "penalty", _("Administrative penalty decision")


DOCUMENT_PREFIX = {DocumentKind.ORDER: "责改", DocumentKind.PENALTY: "罚"}


class EnforcementDocument(models.Model):
    """A numbered enforcement document (责令限期整改指令书, 行政处罚决定书) issued to an enterprise."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )  # fmt: skip
    kind = models.CharField(_("document type"), max_length=10, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("document number"), max_length=60)
    body = models.TextField(_("text"), max_length=8000)
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    issuer = models.CharField(_("issuing authority"), max_length=120)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("enforcement document")
        verbose_name_plural = _("enforcement documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "seq"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This document number is taken."),
            )
        ]

    def __str__(self) -> str:
        return self.number


class Commitment(models.Model):
    """A high-risk enterprise's daily safety commitment (安全承诺): its major hazards and key equipment are
    under control, who says so and when, with any exceptions."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    items = models.JSONField(_("items confirmed"), default=dict)
    exceptions = models.TextField(_("exceptions"), max_length=2000, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    committed_at = models.DateTimeField(_("committed at"))

    class Meta:
        ordering = ["-day", "org_id"]
        verbose_name = _("safety commitment")
        verbose_name_plural = _("safety commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "day"],
                name="%(app_label)s_%(class)s_one_a_day",
                violation_error_message=_("This enterprise has already committed for the day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.day}"


class MissedCommitment(models.Model):
    """A high-risk enterprise that had not committed by the deadline of a day (flagged once, by the worker)."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    flagged_at = models.DateTimeField(_("flagged at"))

    class Meta:
        ordering = ["-day", "org_id"]
        verbose_name = _("missed commitment")
        verbose_name_plural = _("missed commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "day"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("Already flagged."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.day}"
