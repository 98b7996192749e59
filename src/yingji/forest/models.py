"""Forest fire prevention (森林防火): forest areas with their responsible chain (林长 at district, street and
community level and the rangers, 护林员), patrol routes, patrols recorded from phones with track points and
findings, fire points, and the once-a-day records of danger notices and missed patrols."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yingji.core.models import VALID_COORDINATES, OrgUnit


class ForestArea(models.Model):
    """A forest or mountain area of the district: a GeoJSON Polygon or MultiPolygon (WGS84), owned by the
    street or community answerable for it. `lat`/`lon` (a point inside it) and `area_ha` are derived."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    geometry = models.JSONField(_("area (GeoJSON geometry)"))
    area_ha = models.FloatField(_("area (ha)"), default=0)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    patrols_per_day = models.PositiveSmallIntegerField(
        _("patrols per day (normal danger)"), default=1, help_text=_("High fire danger asks for more.")
    )
    description = models.TextField(_("description"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("forest area")
        verbose_name_plural = _("forest areas")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("A forest area with this code exists."),
            ),
            models.CheckConstraint(
                condition=VALID_COORDINATES,
                name="%(app_label)s_%(class)s_valid_coordinates",
                violation_error_message=_("Coordinates out of range."),
            ),
            models.CheckConstraint(
                condition=Q(patrols_per_day__gte=1, patrols_per_day__lte=24),
                name="%(app_label)s_%(class)s_patrols_per_day_range",
                violation_error_message=_("Patrols per day must lie between 1 and 24."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ChainLevel(models.TextChoices):
    """The responsible chain of the forest-chief system (林长制), top down, and the rangers on the ground."""

    DISTRICT = "district", _("District forest chief")
    STREET = "street", _("Street forest chief")
    COMMUNITY = "community", _("Community forest chief")
    RANGER = "ranger", _("Ranger")


CHAIN_ORDER = {level: rank for rank, level in enumerate(ChainLevel.values)}


class ChainMember(models.Model):
    """One person of an area's responsible chain, with the phone they answer; `user` when they sign in."""

    area = models.ForeignKey(ForestArea, verbose_name=_("forest area"), on_delete=models.CASCADE, related_name="chain")
    level = models.CharField(_("level"), max_length=12, choices=ChainLevel.choices)
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["area", "level", "name", "id"]
        verbose_name = _("responsible person")
        verbose_name_plural = _("responsible chain")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone=""),
                name="%(app_label)s_%(class)s_has_phone",
                violation_error_message=_("Every responsible person needs a phone."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"


class PatrolRoute(models.Model):
    """A route rangers walk through an area: a GeoJSON LineString."""

    area = models.ForeignKey(ForestArea, verbose_name=_("forest area"), on_delete=models.CASCADE, related_name="routes")
    name = models.CharField(_("name"), max_length=120)
    path = models.JSONField(_("path (GeoJSON LineString)"))
    length_m = models.FloatField(_("length (m)"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")

    def __str__(self) -> str:
        return self.name


class PatrolStatus(models.TextChoices):
    ACTIVE = "active", _("Under way")
    ENDED = "ended", _("Ended")


class Patrol(models.Model):
    """One patrol of an area, recorded from a phone: started, track points, findings, ended."""

    area = models.ForeignKey(
        ForestArea, verbose_name=_("forest area"), on_delete=models.PROTECT, related_name="patrols"
    )
    route = models.ForeignKey(
        PatrolRoute, verbose_name=_("route"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org = models.ForeignKey(OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    ranger = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("patrolled by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=PatrolStatus.choices, default=PatrolStatus.ACTIVE)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    distance_m = models.FloatField(_("distance (m)"), default=0)
    points_count = models.PositiveIntegerField(_("track points"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A patrol cannot end before it started."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.started_at:%Y-%m-%d %H:%M}"


class TrackPoint(models.Model):
    """One position of a patrol's track."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="points")
    at = models.DateTimeField(_("time"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        ordering = ["patrol", "at", "id"]
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="%(app_label)s_%(class)s_valid_coordinates",
                violation_error_message=_("Coordinates out of range."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.lat:.5f},{self.lon:.5f} {self.at:%H:%M:%S}"


class FindingKind(models.TextChoices):
    FIRE_HAZARD = "fire_hazard", _("Fire hazard (dry fuel, rubbish)")
    OPEN_FIRE = "open_fire", _("Open fire use (burning, offerings)")
    SMOKE = "smoke", _("Smoke or fire")
    FACILITY = "facility", _("Damaged fire facility or sign")
    OTHER = "other", _("Other")


class Finding(models.Model):
    """Something a patrol found, with an optional photo kept in the data directory under its SHA-256."""

    patrol = models.ForeignKey(Patrol, verbose_name=_("patrol"), on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    photo = models.CharField(_("photo file"), max_length=200, blank=True, editable=False)
    photo_sha256 = models.CharField(_("photo SHA-256"), max_length=64, blank=True, editable=False)
    photo_type = models.CharField(_("photo type"), max_length=20, blank=True, editable=False)
    photo_size = models.PositiveIntegerField(_("photo size (bytes)"), default=0, editable=False)

    class Meta:
        ordering = ["patrol", "at", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=VALID_COORDINATES,
                name="%(app_label)s_%(class)s_valid_coordinates",
                violation_error_message=_("Coordinates out of range."),
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class FireStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed, being fought")
    OUT = "out", _("Put out")
    FALSE = "false", _("False report")


class FirePoint(models.Model):
    """A fire reported in or near a forest area (by a ranger, a lookout or a call)."""

    area = models.ForeignKey(
        ForestArea, verbose_name=_("forest area"), null=True, blank=True, on_delete=models.PROTECT, related_name="fires"
    )
    org = models.ForeignKey(OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+")
    patrol = models.ForeignKey(
        Patrol, verbose_name=_("patrol"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FireStatus.choices, default=FireStatus.REPORTED)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("fire point")
        verbose_name_plural = _("fire points")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="%(app_label)s_%(class)s_valid_coordinates",
                violation_error_message=_("Coordinates out of range."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.lat:.4f},{self.lon:.4f}"


class DangerNotice(models.Model):
    """The responsible chain of an area was told of high fire danger on a day: at most one per area and day."""

    area = models.ForeignKey(ForestArea, verbose_name=_("forest area"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    level = models.PositiveSmallIntegerField(_("fire danger level"))
    level_name = models.CharField(_("fire danger"), max_length=20)
    station = models.CharField(_("station"), max_length=120, blank=True)
    patrols_per_day = models.PositiveSmallIntegerField(_("patrols per day asked"))
    recipients = models.PositiveIntegerField(_("people notified"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "area"]
        verbose_name = _("fire danger notice")
        verbose_name_plural = _("fire danger notices")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "date"],
                name="%(app_label)s_%(class)s_once_per_day",
                violation_error_message=_("This area's chain was already notified that day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.date} {self.level_name}"


class MissedPatrol(models.Model):
    """An area patrolled fewer times on a day than its fire danger asked: flagged once per area and day."""

    area = models.ForeignKey(ForestArea, verbose_name=_("forest area"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    expected = models.PositiveSmallIntegerField(_("patrols asked"))
    done = models.PositiveSmallIntegerField(_("patrols done"))
    level = models.PositiveSmallIntegerField(_("fire danger level"), null=True, blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "area"]
        verbose_name = _("missed patrol")
        verbose_name_plural = _("missed patrols")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "date"],
                name="%(app_label)s_%(class)s_once_per_day",
                violation_error_message=_("This day was already flagged for the area."),
            ),
            models.CheckConstraint(
                condition=Q(done__lt=F("expected")),
                name="%(app_label)s_%(class)s_fewer_than_asked",
                violation_error_message=_("Only a shortfall is a missed patrol."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.date} {self.done}/{self.expected}"
