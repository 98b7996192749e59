"""Emergency resources: rescue teams and their members, experts, large equipment, warehouses with a stock
ledger, material items, shelters, and the community population estimates evacuation planning uses."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import VALID_COORDINATES, OrgUnit


class TeamKind(models.TextChoices):
    FIRE_RESCUE = "fire_rescue", _("Comprehensive fire and rescue")
    HAZCHEM = "hazchem", _("Hazardous chemicals rescue")
    MINE = "mine", _("Mine rescue")
    WATER = "water", _("Water rescue")
    POWER = "power", _("Power repair")
    BUILDING = "building", _("Building collapse rescue")
    MEDICAL = "medical", _("Medical rescue")
    FLOOD = "flood", _("Flood control")
    PART_TIME = "part_time", _("Part-time team")
    SOCIAL = "social", _("Social rescue force")
    VOLUNTEER = "volunteer", _("Volunteers")


class TeamStatus(models.TextChoices):
    STANDBY = "standby", _("Standby")
    DEPLOYED = "deployed", _("Deployed")
    UNAVAILABLE = "unavailable", _("Unavailable")


class Team(models.Model):
    """A rescue team's profile; its name, code, base location, leader and phone live on its OrgUnit
    (kind team), so the team is also a node of the org tree and its staff sign in under it."""

    org = models.OneToOneField(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="team_profile"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    headcount = models.PositiveIntegerField(_("headcount"), default=0)
    on_duty = models.PositiveIntegerField(_("on duty"), default=0)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TeamStatus.choices, default=TeamStatus.STANDBY)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["org__path"]
        verbose_name = _("rescue team")
        verbose_name_plural = _("rescue teams")
        constraints = [
            models.CheckConstraint(
                condition=Q(on_duty__lte=models.F("headcount")), name="%(app_label)s_%(class)s_on_duty_within_headcount"
            )
        ]

    def __str__(self) -> str:
        return self.org.name


class TeamMember(models.Model):
    """A member of a rescue team with the certificate they hold."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=60)
    position = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    certificate = models.CharField(_("certificate"), max_length=100, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_expiry = models.DateField(_("certificate expiry"), null=True, blank=True)

    class Meta:
        ordering = ["team", "name", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class ExpertField(models.TextChoices):
    HAZCHEM = "hazchem", _("Hazardous chemicals")
    MINE = "mine", _("Mining and non-coal mines")
    FIRE = "fire", _("Fire safety")
    FLOOD = "flood", _("Flood control and drought relief")
    GEOLOGY = "geology", _("Geological hazards")
    EARTHQUAKE = "earthquake", _("Earthquake")
    BUILDING = "building", _("Building and structures")
    POWER = "power", _("Power and utilities")
    MEDICAL = "medical", _("Medical and public health")
    METEOROLOGY = "meteorology", _("Meteorology")
    TRANSPORT = "transport", _("Transport")
    OTHER = "other", _("Other")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_CALL = "on_call", _("On call")
    UNAVAILABLE = "unavailable", _("Unavailable")


class Expert(models.Model):
    """An expert the command can call on; `org` owns the record (for scoping), `organisation` is where
    the expert works and `lat`/`lon` its location."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    field = models.CharField(_("field"), max_length=20, choices=ExpertField.choices)
    title = models.CharField(pgettext_lazy("expert", "title"), max_length=60, blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.AVAILABLE
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
        ]

    def __str__(self) -> str:
        return self.name


class EquipmentCategory(models.TextChoices):
    FIRE_ENGINE = "fire_engine", _("Fire engine")
    RESCUE_VEHICLE = "rescue_vehicle", _("Rescue vehicle")
    EXCAVATOR = "excavator", _("Excavator")
    LOADER = "loader", _("Loader")
    CRANE = "crane", _("Crane")
    PUMP = "pump", _("Drainage pump")
    GENERATOR = "generator", _("Generator")
    LIGHTING = "lighting", _("Lighting tower")
    BOAT = "boat", _("Boat")
    DETECTION = "detection", _("Detection and monitoring")
    COMMUNICATION = "communication", _("Communication vehicle")
    OTHER = "other", _("Other")


class EquipmentStatus(models.TextChoices):
    READY = "ready", _("Ready")
    IN_USE = "in_use", _("In use")
    MAINTENANCE = "maintenance", _("Under maintenance")
    BROKEN = "broken", _("Out of order")


class Equipment(models.Model):
    """A piece (or a set of identical pieces) of large equipment."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=EquipmentCategory.choices)
    model = models.CharField(_("model"), max_length=80, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    location = models.CharField(_("location"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EquipmentStatus.choices, default=EquipmentStatus.READY
    )
    next_maintenance = models.DateField(_("next maintenance"), null=True, blank=True)
    keeper = models.CharField(_("keeper"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
        ]

    def __str__(self) -> str:
        return self.name


class MaterialCategory(models.TextChoices):
    FOOD = "food", _("Food and drinking water")
    SHELTER = "shelter", _("Tents and bedding")
    CLOTHING = "clothing", _("Clothing")
    MEDICAL = "medical", _("Medical supplies")
    FLOOD = "flood", _("Flood control")
    RESCUE = "rescue", _("Rescue tools")
    PROTECTION = "protection", _("Personal protection")
    POWER = "power", _("Power and lighting")
    FIRE = "fire", _("Firefighting")
    OTHER = "other", _("Other")


class MaterialItem(models.Model):
    """An entry of the district-wide catalogue of relief and rescue materials."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=MaterialCategory.choices)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("material item")
        verbose_name_plural = _("material items")
        constraints = [models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.spec}）" if self.spec else self.name


class Warehouse(models.Model):
    """A reserve warehouse of relief and rescue materials."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    keeper = models.CharField(_("keeper"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
        ]

    def __str__(self) -> str:
        return self.name


class StockBalance(models.Model):
    """The on-hand quantity of one item in one warehouse: the running sum of its ledger, kept by the same
    transaction that appends a movement. Its row is what concurrent withdrawals lock."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="balances"
    )
    item = models.ForeignKey(MaterialItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="balances")
    quantity = models.IntegerField(_("on hand"), default=0)
    minimum = models.PositiveIntegerField(_("minimum stock"), default=0)

    class Meta:
        ordering = ["warehouse", "item"]
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item"], name="%(app_label)s_%(class)s_unique_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="%(app_label)s_%(class)s_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} · {self.item}: {self.quantity}"


class StockLot(models.Model):
    """The on-hand quantity of one batch of an item in a warehouse (batch "" = not tracked by batch)."""

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="lots")
    item = models.ForeignKey(MaterialItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="lots")
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    expiry = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.IntegerField(_("on hand"), default=0)

    class Meta:
        ordering = ["warehouse", "item", "expiry", "batch"]
        verbose_name = _("stock batch")
        verbose_name_plural = _("stock batches")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item", "batch"], name="%(app_label)s_%(class)s_unique_batch"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="%(app_label)s_%(class)s_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.batch or '—'}: {self.quantity}"


class MovementKind(models.TextChoices):
    IN = "in", _("Receipt")
    OUT = "out", _("Withdrawal")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ADJUST = "adjust", _("Adjustment")


class StockMovement(models.Model):
    """One line of the stock ledger, never changed or deleted; `delta` is signed (+ in, − out)."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="movements"
    )
    item = models.ForeignKey(MaterialItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    delta = models.IntegerField(_("quantity change"))
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    expiry = models.DateField(_("expiry date"), null=True, blank=True)
    balance_after = models.IntegerField(_("on hand after"))
    reason = models.CharField(_("reason"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), db_index=True)
    transfer_ref = models.CharField(_("transfer reference"), max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [models.CheckConstraint(condition=~Q(delta=0), name="%(app_label)s_%(class)s_nonzero")]
        indexes = [models.Index(fields=["warehouse", "item"], name="resources_movement_stock_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.delta:+d}"


class ShelterKind(models.TextChoices):
    OUTDOOR = "outdoor", _("Outdoor")
    INDOOR = "indoor", _("Indoor")


class ShelterClass(models.TextChoices):
    """Shelter types of GB 51143-2015 (fixed shelters split by length of stay)."""

    EMERGENCY = "emergency", _("Emergency shelter")
    FIXED_SHORT = "fixed_short", _("Fixed shelter (short-term)")
    FIXED_MEDIUM = "fixed_medium", _("Fixed shelter (medium-term)")
    FIXED_LONG = "fixed_long", _("Fixed shelter (long-term)")
    CENTRAL = "central", _("Central shelter")


class Facility(models.TextChoices):
    """Shelter facilities named in GB 21734-2008 (basic, general and comprehensive sets)."""

    TENTS = "tents", _("Tents or temporary rooms")
    MEDICAL = "medical", _("Medical care")
    WATER = "water", _("Water supply")
    POWER = "power", _("Power supply")
    DRAINAGE = "drainage", _("Drainage")
    TOILETS = "toilets", _("Toilets")
    WASTE = "waste", _("Waste disposal")
    ROUTES = "routes", _("Access routes")
    SIGNS = "signs", _("Signs")
    FIREFIGHTING = "firefighting", _("Firefighting")
    STORAGE = "storage", _("Material storage")
    COMMAND = "command", _("Command post")
    PARKING = "parking", _("Parking")
    HELIPAD = "helipad", _("Helipad")
    BATHING = "bathing", _("Bathing")
    VENTILATION = "ventilation", _("Ventilation")
    DISPLAY = "display", _("Information display")


class Shelter(models.Model):
    """An emergency shelter; `capacity` is derived from the effective area and the per-person area of its
    class (see shelter_capacity.py) unless `capacity_given` states it."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("indoor or outdoor"), max_length=10, choices=ShelterKind.choices)
    shelter_class = models.CharField(_("class"), max_length=20, choices=ShelterClass.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    effective_area_m2 = models.PositiveIntegerField(_("effective area (m²)"))
    capacity_given = models.PositiveIntegerField(_("stated capacity"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), editable=False, default=0)
    facilities = models.JSONField(_("facilities"), default=list, blank=True)
    is_open = models.BooleanField(_("open"), default=False)
    occupancy = models.PositiveIntegerField(_("current occupancy"), default=0)
    manager = models.CharField(_("manager"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
            models.CheckConstraint(
                condition=Q(occupancy__lte=models.F("capacity")),
                name="%(app_label)s_%(class)s_occupancy_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free_capacity(self) -> int:
        return max(self.capacity - self.occupancy, 0)

    def facility_labels(self) -> list[str]:
        labels = dict(Facility.choices)
        return [str(labels.get(code, code)) for code in self.facilities]


class CommunityPopulation(models.Model):
    """A community's resident population estimate, used when an evacuation is planned by community."""

    community = models.OneToOneField(
        OrgUnit, verbose_name=_("community"), on_delete=models.CASCADE, related_name="population_estimate"
    )
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["community__path"]
        verbose_name = _("community population")
        verbose_name_plural = _("community populations")

    def __str__(self) -> str:
        return f"{self.community}: {self.population}"
