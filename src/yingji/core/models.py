"""The org tree, users, API tokens, sign-in attempts and the audit chain."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    DISTRICT = "district", _("District")
    BUREAU = "bureau", _("Bureau")
    DEPARTMENT = "department", _("Department")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    TEAM = "team", _("Rescue team")


# Which kind of unit may sit under which: the shape of the district's tree.
ALLOWED_PARENTS: dict[str, set[str]] = {
    OrgKind.DISTRICT: set(),
    OrgKind.BUREAU: {OrgKind.DISTRICT},
    OrgKind.DEPARTMENT: {OrgKind.BUREAU},
    OrgKind.STREET: {OrgKind.DISTRICT},
    OrgKind.COMMUNITY: {OrgKind.STREET},
    OrgKind.ENTERPRISE: {OrgKind.STREET, OrgKind.COMMUNITY},
    OrgKind.TEAM: {OrgKind.DISTRICT, OrgKind.BUREAU, OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.ENTERPRISE},
}

# Staff of these units work for the whole district and see everything in it.
DISTRICT_WIDE_KINDS = {OrgKind.DISTRICT, OrgKind.BUREAU, OrgKind.DEPARTMENT}


# WGS84 latitude and longitude, both or neither: the check every located model carries.
VALID_COORDINATES = (models.Q(lat__isnull=True) & models.Q(lon__isnull=True)) | (
    models.Q(lat__gte=-90, lat__lte=90) & models.Q(lon__gte=-180, lon__lte=180)
)


class Industry(models.TextChoices):
    HAZARDOUS_CHEMICALS = "hazchem", _("Hazardous chemicals")
    METALLURGY = "metallurgy", _("Metallurgy and metal processing")
    BUILDING_MATERIALS = "building_materials", _("Building materials")
    MACHINERY = "machinery", _("Machinery manufacturing")
    TEXTILES = "textiles", _("Textiles and garments")
    FOOD = "food", _("Food processing")
    PRINTING = "printing", _("Printing and packaging")
    GAS = "gas", _("Gas supply and filling stations")
    CONSTRUCTION = "construction", _("Construction")
    LOGISTICS = "logistics", _("Logistics and warehousing")
    RETAIL = "retail", _("Shopping malls and retail")
    HOSPITALITY = "hospitality", _("Hotels and catering")
    PORT = "port", _("Port and shipping")
    OTHER = "other", _("Other")


class OrgUnit(models.Model):
    """A node of the district's org tree: the district, its bureau and departments, streets, communities,
    enterprises and rescue teams. `path` ("/1/4/9/") makes "this unit and all below it" one indexed query."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=400, editable=False, db_index=True, default="")
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    area = models.JSONField(_("area (GeoJSON geometry)"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Generated demo data standing in for unpublished facts.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(condition=VALID_COORDINATES, name="%(app_label)s_%(class)s_valid_coordinates"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        allowed = ALLOWED_PARENTS.get(self.kind, set())
        if self.parent is None and allowed:
            raise ValidationError({"parent": _("A unit of this kind needs a parent.")})
        if self.parent is not None and self.parent.kind not in allowed:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot sit under a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": self.parent.get_kind_display()}
                }
            )
        if self.parent is not None and self.pk is not None and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("A unit cannot sit under itself.")})
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class User(AbstractUser):
    """A person who signs in; belongs to one org unit and holds roles (Django groups)."""

    org = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    password_changed_at = models.DateTimeField(
        _("password changed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty: the password was set by someone else and must be changed at the next sign-in."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # django-stubs leaves out the abstract Meta
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("grant_role", _("Can grant roles and rights"))]

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full} ({self.username})" if full else self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [models.UniqueConstraint(fields=["key_hash"], name="%(app_label)s_%(class)s_unique_key")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"


class PasswordHistory(models.Model):
    """A password a user had (its hash), so that the last few are not chosen again."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128, editable=False)
    created_at = models.DateTimeField(_("set at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class TotpDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): the shared secret and the last time step used, so a
    code works once. Confirmed once the user has typed a first code from it."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(_("secret"), max_length=64, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last time step used"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"


class RecoveryCode(models.Model):
    """A single-use code that stands in for the authenticator; only its hash is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(_("code hash"), max_length=64, editable=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"


class LoginAttempt(models.Model):
    """One sign-in attempt, kept for lockout and for the security audit."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    succeeded = models.BooleanField(_("succeeded"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.succeeded else 'failed'}"


class AuditEntry(models.Model):
    """One link of the append-only audit chain; `hash` is HMAC-SHA256 (keyed) over the canonical JSON of the other
    fields including `prev_hash`, so altering, deleting or reordering an entry breaks the chain."""

    seq = models.PositiveBigIntegerField(_("sequence"), editable=False)
    at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=80, editable=False)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    summary = models.CharField(_("summary"), max_length=300, editable=False)
    payload = models.JSONField(_("payload"), default=dict, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [models.UniqueConstraint(fields=["seq"], name="%(app_label)s_%(class)s_unique_seq")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.summary}"


class AuditHead(models.Model):
    """The chain's last link, updated with every append: truncating the chain's tail shows up here."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Notification(models.Model):
    """A message in one person's in-app inbox."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(_("category"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class WarningLevel(models.TextChoices):
    """The four warning levels of the Emergency Response Law (art. 42 of the 2007 text), lowest first:
    blue = IV, yellow = III, orange = II, red = I (the most severe)."""

    BLUE = "blue", _("Blue (IV)")
    YELLOW = "yellow", _("Yellow (III)")
    ORANGE = "orange", _("Orange (II)")
    RED = "red", _("Red (I)")


# Severity order of the levels, for "this level or higher" comparisons.
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(WarningLevel.values)}


class PersonalChannel(models.TextChoices):
    """Channels that reach one person."""

    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class ChannelKind(models.TextChoices):
    """Transports configured as HTTP webhooks."""

    SMS = "sms", _("SMS gateway")
    WECOM = "wecom", _("WeChat Work group robot")


class ChannelConfig(models.Model):
    """An HTTP webhook channel: an SMS gateway or a WeChat Work group robot. `template` is a JSON document
    whose strings may hold {title}, {body}, {link}, {text} and (SMS) {phone}; it becomes the POST body."""

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    url = models.URLField(_("URL"), max_length=500)
    template = models.JSONField(_("body template"), default=dict, blank=True)
    headers = models.JSONField(_("extra HTTP headers"), default=dict, blank=True)
    timeout_s = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=10)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("channel configuration")
        verbose_name_plural = _("channel configurations")
        constraints = [models.UniqueConstraint(fields=["name"], name="%(app_label)s_%(class)s_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Subscription(models.Model):
    """Who hears about what: people (one person, a role, an org with its subtree) or a group channel,
    for messages of a topic at or above a level, of some event types, touching some streets."""

    name = models.CharField(_("name"), max_length=120)
    topic = models.CharField(_("topic"), max_length=40, default="warning")
    owner = models.ForeignKey(
        User,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    org = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    include_subtree = models.BooleanField(_("include units below"), default=True)
    webhook = models.ForeignKey(
        ChannelConfig,
        verbose_name=_("group channel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    streets = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("area (streets)"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for the whole district."),
    )
    min_level = models.CharField(
        _("minimum level"), max_length=10, choices=WarningLevel.choices, default=WarningLevel.BLUE
    )
    event_types = models.JSONField(_("event types"), default=list, blank=True, help_text=_("Empty: every type."))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["topic", "name"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False)
                | ~models.Q(role="")
                | models.Q(org__isnull=False)
                | models.Q(webhook__isnull=False),
                name="%(app_label)s_%(class)s_has_audience",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from yingji.core.roles import GROUP_NAMES

        if not (self.owner_id or self.role or self.org_id or self.webhook_id):
            raise ValidationError(_("Choose a person, a role, an org unit or a group channel."))
        if self.role and self.role not in GROUP_NAMES:
            raise ValidationError({"role": _("Unknown role.")})
        unknown = [c for c in self.channels or [] if c not in PersonalChannel.values]
        if unknown:
            raise ValidationError({"channels": _("Unknown channel: %(c)s") % {"c": ", ".join(map(str, unknown))}})
        if not isinstance(self.event_types, list) or not all(isinstance(e, str) for e in self.event_types):
            raise ValidationError({"event_types": _("Give a list of event type codes.")})


class OutboxMessage(models.Model):
    """One message sent to many people: the text every delivery of it carries."""

    topic = models.CharField(_("topic"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return self.title


class DeliveryChannel(models.TextChoices):
    """Channels the outbox delivers over (the inbox is written at once and needs no outbox)."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS gateway")
    WECOM = "wecom", _("WeChat Work group robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Given up")


class Delivery(models.Model):
    """One message to one recipient over one channel, delivered by the worker with retries and backoff."""

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("message"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    config = models.ForeignKey(
        ChannelConfig, verbose_name=_("channel configuration"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("address"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address} ({self.get_status_display()})"


class LiveEvent(models.Model):
    """A live update on its way to the open pages of every web process, where no broker joins the processes
    (the embedded SQLite default: web, worker and ingest are separate processes). Kept for minutes only."""

    channel = models.CharField(_("channel"), max_length=60)
    event = models.CharField(_("event"), max_length=60)
    data = models.JSONField(_("data"), default=dict)
    scope = models.CharField(_("scope"), max_length=400, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("live event")
        verbose_name_plural = _("live events")

    def __str__(self) -> str:
        return f"{self.channel}/{self.event}"


class RateCounter(models.Model):
    """How many requests one client address (kept only as a keyed hash) made in one fixed window of a rate-limited
    scope (core.ratelimit). In the database so that every web process counts the same requests."""

    scope = models.CharField(_("scope"), max_length=40)
    key = models.CharField(_("address hash"), max_length=64)
    window_start = models.DateTimeField(_("window start"), db_index=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["-window_start", "scope", "key"]
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"],
                name="%(app_label)s_%(class)s_unique_window",
                violation_error_message=_("One counter per address and window."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]} {self.window_start:%H:%M}: {self.count}"
