"""Road networks: nodes and directed edges with lengths and travel times, shared by every process."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoadClass(models.TextChoices):
    """OpenStreetMap `highway` values that cars may use, and the generated classes of the demo network."""

    MOTORWAY = "motorway", _("Motorway / urban expressway")
    MOTORWAY_LINK = "motorway_link", _("Motorway ramp")
    TRUNK = "trunk", _("Trunk road")
    TRUNK_LINK = "trunk_link", _("Trunk road ramp")
    PRIMARY = "primary", _("Primary road")
    PRIMARY_LINK = "primary_link", _("Primary road link")
    SECONDARY = "secondary", _("Secondary road")
    SECONDARY_LINK = "secondary_link", _("Secondary road link")
    TERTIARY = "tertiary", _("Tertiary road")
    TERTIARY_LINK = "tertiary_link", _("Tertiary road link")
    UNCLASSIFIED = "unclassified", _("Minor road")
    RESIDENTIAL = "residential", _("Residential street")
    LIVING_STREET = "living_street", _("Living street")
    SERVICE = "service", _("Service road")
    ROAD = "road", _("Road of unknown class")
    BRIDGE = "bridge", _("Bridge or riverside link")


class RoadNetwork(models.Model):
    """One road graph: imported from an OpenStreetMap extract or generated for the demo. Exactly one network
    is active at a time; routing runs on the active one. `uid` tells processes' caches apart from a reload."""

    name = models.CharField(_("name"), max_length=120)
    source = models.CharField(_("source"), max_length=300, help_text=_("File name of the extract, or how it was made."))
    uid = models.UUIDField(_("revision"), default=uuid.uuid4, unique=True, editable=False)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Generated demo data standing in for unpublished facts.")
    )
    active = models.BooleanField(_("active"), default=False)
    serves_district = models.BooleanField(
        _("serves the district"),
        default=False,
        help_text=_("Points routed on this network must lie inside the district boundary."),
    )
    min_lat = models.FloatField(_("south"), default=0)
    max_lat = models.FloatField(_("north"), default=0)
    min_lon = models.FloatField(_("west"), default=0)
    max_lon = models.FloatField(_("east"), default=0)
    node_count = models.PositiveIntegerField(_("nodes"), default=0)
    edge_count = models.PositiveIntegerField(_("edges"), default=0)

    class Meta:
        verbose_name = _("road network")
        verbose_name_plural = _("road networks")
        ordering = ["-active", "-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="%(app_label)s_%(class)s_one_active"
            ),
            models.CheckConstraint(
                condition=Q(min_lat__lte=models.F("max_lat")), name="%(app_label)s_%(class)s_lat_order"
            ),
            models.CheckConstraint(
                condition=Q(min_lon__lte=models.F("max_lon")), name="%(app_label)s_%(class)s_lon_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def source_display(self) -> str:
        """Where the network came from, for people: an imported file's name, or the demo's generated grid in words
        (the stored `source` of a generated network is a machine note in English)."""
        if self.illustrative and self.source.startswith("generated"):
            return str(_("Illustrative street grid generated for the demo"))
        return self.source


class RoadNode(models.Model):
    """A point of the road network (an OSM node of a drivable way, or a generated junction)."""

    network = models.ForeignKey(RoadNetwork, verbose_name=_("network"), on_delete=models.CASCADE, related_name="nodes")
    osm_id = models.BigIntegerField(_("OSM id"), null=True, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("road node")
        verbose_name_plural = _("road nodes")
        ordering = ["network", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(lat__gte=-90, lat__lte=90), name="%(app_label)s_%(class)s_lat_range"),
            models.CheckConstraint(condition=Q(lon__gte=-180, lon__lte=180), name="%(app_label)s_%(class)s_lon_range"),
        ]

    def __str__(self) -> str:
        return f"{self.lat:.6f}, {self.lon:.6f}"


class RoadEdge(models.Model):
    """A directed piece of road from one node to the next: a two-way street is two edges, a one-way street one."""

    network = models.ForeignKey(RoadNetwork, verbose_name=_("network"), on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(RoadNode, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(RoadNode, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+")
    length_m = models.FloatField(_("length (m)"))
    travel_time_s = models.FloatField(_("travel time (s)"))
    road_class = models.CharField(_("road class"), max_length=20, choices=RoadClass.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    oneway = models.BooleanField(_("one-way"), default=False)

    class Meta:
        verbose_name = _("road edge")
        verbose_name_plural = _("road edges")
        ordering = ["network", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(length_m__gte=0), name="%(app_label)s_%(class)s_length_nonnegative"),
            models.CheckConstraint(condition=Q(travel_time_s__gt=0), name="%(app_label)s_%(class)s_time_positive"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="%(app_label)s_%(class)s_no_loop"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} {self.name}".strip()


class BaseKind(models.TextChoices):
    """What a base-map feature is: the layers drawn under every map besides the roads."""

    WATER = "water", _("Lake or river area")
    RIVER = "river", _("River or canal")
    RAILWAY = "railway", _("Railway")
    PLACE = "place", _("Place name")


class BaseFeature(models.Model):
    """A simplified base-map feature kept with a road network: water (areas and river lines), railways and place
    names from the OpenStreetMap extract, or illustrative ones generated for the demo network. `geometry` is a
    GeoJSON geometry (WGS84, simplified on import); the bounding box lets a map ask only for what it shows."""

    network = models.ForeignKey(
        RoadNetwork, verbose_name=_("network"), on_delete=models.CASCADE, related_name="base_features"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BaseKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Importance (a city before a neighbourhood); lower ranks show first.")
    )
    geometry = models.JSONField(_("geometry"))
    min_lat = models.FloatField(_("south"))
    max_lat = models.FloatField(_("north"))
    min_lon = models.FloatField(_("west"))
    max_lon = models.FloatField(_("east"))

    class Meta:
        verbose_name = _("base-map feature")
        verbose_name_plural = _("base-map features")
        ordering = ["network", "kind", "rank", "pk"]
        indexes = [models.Index(fields=["network", "kind"], name="routing_basefeature_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_lat__lte=models.F("max_lat")) & Q(min_lon__lte=models.F("max_lon")),
                name="%(app_label)s_%(class)s_bbox_order",
                violation_error_message=_("South must not lie north of north, nor west east of east."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()
