"""Early warnings (预警信息): one row per CAP message, local or imported, with its lifecycle."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit, WarningLevel


class EventType(models.TextChoices):
    """The events the district warns of: the meteorological warning signals (气象灾害预警信号) and the
    hazards the bureau itself watches. Keys are stable: other apps link to /warnings/new/?event_type=<key>."""

    RAINSTORM = "rainstorm", _("Rainstorm")
    FLOOD = "flood", _("Flood")
    WATERLOGGING = "waterlogging", _("Urban waterlogging")
    TYPHOON = "typhoon", _("Typhoon")
    THUNDERSTORM = "thunderstorm", _("Thunderstorm and gale")
    LIGHTNING = "lightning", _("Lightning")
    GALE = "gale", _("Gale")
    HAIL = "hail", _("Hail")
    HIGH_TEMPERATURE = "high_temperature", _("High temperature")
    COLD_WAVE = "cold_wave", _("Cold wave")
    SNOWSTORM = "snowstorm", _("Snowstorm")
    ROAD_ICING = "road_icing", _("Road icing")
    FOG = "fog", _("Fog")
    HAZE = "haze", _("Haze")
    DROUGHT = "drought", _("Drought")
    FOREST_FIRE = "forest_fire", _("Forest fire danger")
    GEOLOGICAL_HAZARD = "geological_hazard", _("Geological hazard")
    EARTHQUAKE = "earthquake", _("Earthquake")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")
    GAS_LEAK = "gas_leak", _("Gas leak")
    AIR_POLLUTION = "air_pollution", _("Heavy air pollution")
    PUBLIC_HEALTH = "public_health", _("Public health")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    UPDATED = "updated", _("Superseded by an update")
    CANCELLED = "cancelled", pgettext_lazy("warning", "Cancelled")


class MsgType(models.TextChoices):
    """CAP 1.2 msgType of the message this row is."""

    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")


class Source(models.TextChoices):
    LOCAL = "local", _("Issued here")
    EXTERNAL = "external", _("Imported from another agency")


class EarlyWarning(models.Model):
    """An early warning as one CAP 1.2 message. An update or a cancellation is a new row (msgType Update or
    Cancel) that references the message it replaces; the replaced one becomes `updated` or `cancelled`."""

    identifier = models.CharField(_("identifier"), max_length=200)
    sender = models.CharField(_("sender"), max_length=200)
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    msg_type = models.CharField(_("message type"), max_length=10, choices=MsgType.choices, default=MsgType.ALERT)
    references = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    references_text = models.TextField(_("CAP references"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.LOCAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    event_type = models.CharField(_("event type"), max_length=30, choices=EventType.choices)
    event = models.CharField(_("event"), max_length=200, blank=True, help_text=_("The event's name as issued."))
    level = models.CharField(_("level"), max_length=10, choices=WarningLevel.choices)
    headline = models.CharField(_("headline"), max_length=200)
    description = models.TextField(pgettext_lazy("warning", "description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    area_desc = models.CharField(_("area description"), max_length=500, blank=True)
    streets = models.ManyToManyField(OrgUnit, verbose_name=_("streets"), blank=True, related_name="+")
    area_polygon = models.JSONField(
        _("area polygon (GeoJSON)"), null=True, blank=True, help_text=_("A GeoJSON Polygon or MultiPolygon.")
    )
    geocodes = models.JSONField(_("geocodes"), default=list, blank=True)
    effective = models.DateTimeField(_("effective"))
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    org = models.ForeignKey(OrgUnit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    cap_xml = models.TextField(_("CAP message"), blank=True, editable=False)
    exercise = models.BooleanField(
        _("exercise"), default=False, help_text=_("Issued in a drill: never in the public feed.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        permissions = [
            ("approve_earlywarning", _("Can approve early warnings")),
            ("publish_earlywarning", _("Can publish early warnings")),
            ("cancel_earlywarning", _("Can cancel published early warnings")),
            ("import_earlywarning", _("Can import CAP messages of other agencies")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["sender", "identifier"], name="%(app_label)s_%(class)s_unique_message"),
            models.CheckConstraint(
                condition=models.Q(expires__isnull=True) | models.Q(expires__gt=models.F("effective")),
                name="%(app_label)s_%(class)s_expires_after_effective",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires"], name="warnings_current_idx")]

    def __str__(self) -> str:
        return self.headline

    @property
    def is_public(self) -> bool:
        """Published messages (and those later superseded or cancelled) are public record."""
        return self.sent is not None
