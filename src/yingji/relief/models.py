"""Disaster relief (灾害救助): disaster events and the streets' reports of their damage in the stages of the
natural-disaster statistics forms, households and the relief handed to them from warehouse stock, volunteers and
their call-outs, social organisations, and rescue compensation and rewards."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit

BIG = 10**9

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Hazard(models.TextChoices):
    """Hazard types of the natural-disaster statistics (自然灾害情况统计调查制度)."""

    FLOOD = "flood", _("Flood and waterlogging")
    TYPHOON = "typhoon", _("Typhoon")
    HAIL = "hail", _("Wind and hail")
    DROUGHT = "drought", _("Drought")
    COLD = "cold", _("Low temperature and frost")
    SNOW = "snow", _("Snow")
    EARTHQUAKE = "earthquake", _("Earthquake")
    GEOLOGICAL = "geological", _("Geological hazard")
    FOREST_FIRE = "forest_fire", _("Forest and grassland fire")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Ended")


class DisasterEvent(models.Model):
    """One disaster (a flood, a storm) that the streets report on and relief is handed out for."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.OPEN)
    description = models.TextField(_("event summary"), blank=True)
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
        ordering = ["-started_on", "-id"]
        verbose_name = _("disaster event")
        verbose_name_plural = _("disaster events")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("An event with this code exists."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Stage(models.TextChoices):
    """Report stages: the first report, the verified figures, and the final figures once the event is over."""

    INITIAL = "initial", _("Initial report")
    VERIFIED = "verified", _("Verified report")
    FINAL = "final", _("Final report")


def _count(name: "StrOrPromise") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(name, default=0, validators=[MaxValueValidator(BIG)])


def _amount(name: "StrOrPromise") -> models.DecimalField:
    return models.DecimalField(
        name, max_digits=12, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )


class DisasterReport(models.Model):
    """A street's damage figures for an event at one stage, in the items of the natural-disaster statistics
    forms: people affected, dead and missing, emergency relocation, people needing aid, houses collapsed and
    damaged, crops affected and lost, and the direct economic loss."""

    event = models.ForeignKey(DisasterEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="reports")
    org = models.ForeignKey(OrgUnit, verbose_name=_("street"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    reported_on = models.DateField(_("reported on"))
    affected_people = _count(_("people affected"))
    deaths = _count(_("deaths"))
    missing = _count(_("missing"))
    relocated = _count(_("people relocated in an emergency"))
    need_aid = _count(_("people needing emergency living aid"))
    collapsed_houses = _count(_("houses collapsed (rooms)"))
    severely_damaged_houses = _count(_("houses severely damaged (rooms)"))
    generally_damaged_houses = _count(_("houses generally damaged (rooms)"))
    crop_affected_ha = _amount(_("crops affected (ha)"))
    crop_failed_ha = _amount(_("crops lost (ha)"))
    direct_loss_10k_yuan = _amount(_("direct economic loss (10,000 yuan)"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["event", "org__path", "created_at"]
        verbose_name = _("disaster report")
        verbose_name_plural = _("disaster reports")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "org", "stage"],
                name="%(app_label)s_%(class)s_one_per_stage",
                violation_error_message=_("This street has already filed this stage for the event."),
            ),
            models.CheckConstraint(
                condition=Q(crop_failed_ha__lte=models.F("crop_affected_ha")),
                name="%(app_label)s_%(class)s_lost_within_affected",
                violation_error_message=_("Crops lost cannot exceed crops affected."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.code} {self.org} {self.get_stage_display()}"


FIGURES = (
    "affected_people",
    "deaths",
    "missing",
    "relocated",
    "need_aid",
    "collapsed_houses",
    "severely_damaged_houses",
    "generally_damaged_houses",
    "crop_affected_ha",
    "crop_failed_ha",
    "direct_loss_10k_yuan",
)


class Household(models.Model):
    """A household relief is handed to; `org` is its community (or street)."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("household number"), max_length=40)
    head_name = models.CharField(_("head of household"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["org__path", "code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("A household with this number exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}"


class Distribution(models.Model):
    """Relief handed to a household for an event, drawn from a warehouse through the stock ledger (the movement
    lines it caused are kept). Never deleted."""

    event = models.ForeignKey(
        DisasterEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="distributions"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="distributions"
    )
    material = models.ForeignKey(
        "resources.MaterialItem", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "resources.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1), MaxValueValidator(BIG)])
    signed_by = models.CharField(_("signed for by"), max_length=60)
    distributed_at = models.DateTimeField(_("handed out at"))
    override_reason = models.CharField(_("reason for a repeat"), max_length=200, blank=True)
    movements = models.JSONField(_("stock movements"), default=list, blank=True)
    org = models.ForeignKey(OrgUnit, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-distributed_at", "-id"]
        verbose_name = _("relief distribution")
        verbose_name_plural = _("relief distributions")
        indexes = [models.Index(fields=["event", "household", "material"], name="relief_distribution_once_idx")]

    def __str__(self) -> str:
        return f"{self.household} {self.material} ×{self.quantity}"


class Availability(models.TextChoices):
    ANYTIME = "anytime", _("Any time")
    WEEKDAYS = "weekdays", _("Weekdays")
    WEEKENDS = "weekends", _("Weekends and holidays")
    UNAVAILABLE = "unavailable", _("Not available now")


class Volunteer(models.Model):
    """A registered volunteer (registered with their consent to be kept on file and called). A volunteer team
    is a rescue team of kind "volunteers" in the resources app; `team` links a volunteer to it."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("registered with"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    availability = models.CharField(
        pgettext_lazy("volunteer", "availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.ANYTIME,
    )
    hours_served = models.DecimalField(
        _("hours served"), max_digits=8, decimal_places=1, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    team = models.ForeignKey(
        "resources.Team",
        verbose_name=_("volunteer team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent given at"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["org__path", "name", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "phone"],
                name="%(app_label)s_%(class)s_unique_phone",
                violation_error_message=_("A volunteer with this phone is registered here."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class CallOut(models.Model):
    """A call to volunteers (SMS and/or a WeChat Work group) asking whether they can come; replies are recorded."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("calling unit"), on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        DisasterEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"), max_length=1000)
    outbox = models.ForeignKey(
        "core.OutboxMessage", verbose_name=_("outbox message"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("volunteer call-out")
        verbose_name_plural = _("volunteer call-outs")

    def __str__(self) -> str:
        return self.title


class Answer(models.TextChoices):
    NONE = "none", _("No reply yet")
    YES = "yes", _("Yes, coming")
    NO = "no", _("No, cannot come")


class CallOutReply(models.Model):
    """One volunteer's reply to a call-out."""

    callout = models.ForeignKey(CallOut, verbose_name=_("call-out"), on_delete=models.CASCADE, related_name="replies")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.NONE)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["callout", "volunteer__name"]
        verbose_name = _("call-out reply")
        verbose_name_plural = _("call-out replies")
        constraints = [
            models.UniqueConstraint(
                fields=["callout", "volunteer"],
                name="%(app_label)s_%(class)s_one_per_volunteer",
                violation_error_message=_("One reply per volunteer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.get_answer_display()}"


class SocialOrganisation(models.Model):
    """A social organisation taking part in relief (社会组织), with what it can do and whom to call."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("registered with"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    capabilities = models.CharField(_("capabilities"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("An organisation with this name exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AwardKind(models.TextChoices):
    COMPENSATION = "compensation", _("Rescue compensation")
    REWARD = "reward", _("Reward")


class AwardStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Award(models.Model):
    """Rescue compensation (救援补偿) or a reward (奖励) for work a social organisation or a volunteer did; it
    needs the approval of someone other than who submitted it."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    event = models.ForeignKey(
        DisasterEvent, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        SocialOrganisation,
        verbose_name=_("social organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    amount_yuan = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(BIG))],
    )
    reason = models.CharField(_("for what"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("compensation or reward")
        verbose_name_plural = _("compensation and rewards")
        permissions = [("approve_award", _("Can approve compensation and rewards"))]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(volunteer__isnull=True))
                | (Q(organisation__isnull=True) & Q(volunteer__isnull=False)),
                name="%(app_label)s_%(class)s_one_recipient",
                violation_error_message=_("Name either a social organisation or a volunteer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_yuan}"
