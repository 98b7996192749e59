"""The public side: safety knowledge and news articles, the consultation column (questions, answers, FAQ), public
hazard reports (随手拍) that reach the duty desk as leads, and the per-address counters of the public rate limit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import VALID_COORDINATES, OrgUnit


class ArticleKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Safety knowledge")
    NEWS = "news", _("News")
    NOTICE = "notice", _("Notice")


class Topic(models.TextChoices):
    FLOOD = "flood", _("Floods and rainstorms")
    GEOLOGICAL = "geological", _("Geological hazards")
    EARTHQUAKE = "earthquake", _("Earthquakes")
    FIRE = "fire", pgettext_lazy("hazard", "Fire")
    FOREST_FIRE = "forest_fire", _("Forest fire")
    WEATHER = "weather", _("Severe weather")
    CHEMICALS = "chemicals", _("Hazardous chemicals")
    HOME = "home", _("Safety at home")
    FIRST_AID = "first_aid", _("First aid")
    OTHER = "other", _("Other")


class Season(models.TextChoices):
    ALL = "all", _("All year")
    SPRING = "spring", _("Spring")
    SUMMER = "summer", _("Summer")
    AUTUMN = "autumn", _("Autumn")
    WINTER = "winter", _("Winter")


class PublishStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Article(models.Model):
    """A safety-knowledge article, a news item or a notice; the public sees it only once published."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("publishing unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.KNOWLEDGE)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    season = models.CharField(_("season"), max_length=10, choices=Season.choices, default=Season.ALL)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), help_text=_("Plain text; a blank line starts a new paragraph."))
    status = models.CharField(_("status"), max_length=10, choices=PublishStatus.choices, default=PublishStatus.DRAFT)
    exercise = models.BooleanField(_("exercise"), default=False, help_text=_("Drill material, never shown publicly."))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
                violation_error_message=_("A published article needs its publication time."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class QuestionCategory(models.TextChoices):
    WARNING = "warning", _("Warnings and weather")
    SHELTER = "shelter", _("Shelters and evacuation")
    RELIEF = "relief", _("Disaster relief")
    SAFETY = "safety", _("Production safety")
    FIRE = "fire", _("Fire safety")
    KNOWLEDGE = "knowledge", _("Safety knowledge")
    OTHER = "other", _("Other")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed without answer")


class Question(models.Model):
    """A question from the public (民众应急咨询). The contact is private: it never leaves the staff pages; a good
    answer is published as an FAQ entry without it."""

    category = models.CharField(_("category"), max_length=20, choices=QuestionCategory.choices)
    text = models.TextField(pgettext_lazy("consultation", "question"), max_length=2000)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    receipt = models.CharField(_("receipt code"), max_length=16, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    faq = models.BooleanField(_("published as FAQ"), default=False)
    faq_title = models.CharField(_("FAQ title"), max_length=200, blank=True)
    asked_at = models.DateTimeField(_("asked at"), db_index=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = pgettext_lazy("consultation", "question")
        verbose_name_plural = pgettext_lazy("consultation", "questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(faq=False) | (Q(status="answered") & ~Q(answer="")),
                name="%(app_label)s_%(class)s_faq_is_answered",
                violation_error_message=_("Only an answered question can be published as FAQ."),
            )
        ]

    def __str__(self) -> str:
        return self.faq_title or self.text[:40]

    @property
    def response_s(self) -> float | None:
        if self.answered_at is None:
            return None
        return (self.answered_at - self.asked_at).total_seconds()


class LeadKind(models.TextChoices):
    WATERLOGGING = "waterlogging", _("Waterlogging or flooding")
    LANDSLIDE = "landslide", _("Landslide or collapse")
    FIRE = "fire", _("Fire or smoke")
    GAS = "gas", _("Gas or chemical smell")
    BUILDING = "building", _("Dangerous building or structure")
    ROAD = "road", _("Road hazard")
    OTHER = "other", _("Other hazard")


class LeadStatus(models.TextChoices):
    NEW = "new", _("Received")
    REVIEWING = "reviewing", _("Being checked")
    INCIDENT = "incident", _("Handled as an incident")
    DANGER = "danger", _("Accepted as a hidden danger")
    DISMISSED = "dismissed", _("Closed: no action needed")


class Lead(models.Model):
    """A public hazard report (随手拍) on the duty desk: a lead that staff check and turn into an incident, accept as
    a hidden danger of an enterprise (the risk app's closed loop, whose progress the reporter then sees), or close.
    The reporter follows it with the receipt code; the photo lies in the data directory, named by its checksum."""

    receipt = models.CharField(_("receipt code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=LeadKind.choices)
    description = models.TextField(_("hazard description"), max_length=2000)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    photo = models.CharField(_("photo file"), max_length=200, blank=True)
    photo_sha256 = models.CharField(_("photo checksum (SHA-256)"), max_length=64, blank=True)
    photo_type = models.CharField(_("photo type"), max_length=20, blank=True, help_text=_("MIME type"))
    photo_bytes = models.PositiveIntegerField(_("photo size (bytes)"), default=0)
    org = models.ForeignKey(
        OrgUnit, verbose_name=_("street"), on_delete=models.PROTECT, related_name="+", help_text=_("Where it lies.")
    )
    status = models.CharField(_("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    public_note = models.CharField(_("note to the reporter"), max_length=300, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    danger = models.ForeignKey(
        "risk.HiddenDanger",
        verbose_name=_("hidden danger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), db_index=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("public hazard report")
        verbose_name_plural = _("public hazard reports")
        constraints = [
            models.CheckConstraint(
                condition=VALID_COORDINATES,
                name="%(app_label)s_%(class)s_valid_coordinates",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=~Q(status="incident") | Q(incident_id__isnull=False),
                name="%(app_label)s_%(class)s_incident_named",
                violation_error_message=_("A lead handled as an incident names the incident."),
            ),
            models.CheckConstraint(
                condition=~Q(status="danger") | Q(danger_id__isnull=False),
                name="%(app_label)s_%(class)s_danger_named",
                violation_error_message=_("A lead accepted as a hidden danger names the hidden danger."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} {self.get_kind_display()}"
