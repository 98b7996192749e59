"""Training (教育培训), the comprehensive rescue training base (综合救援训练基地) and the safety experience hall
(安全体验馆): courses, sessions with QR sign-in, attendance, exam scores and certificates with expiry reminders;
base facilities booked by time slot with no double booking; hall visit slots and bookings; the quiz bank."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yingji.core.models import OrgUnit


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Officials")
    PRINCIPALS = "principals", _("Enterprise principal persons")
    SAFETY_MANAGERS = "safety_managers", _("Enterprise safety managers")
    SPECIAL_OPERATIONS = "special_operations", _("Special operations")
    RESCUE_TEAMS = "rescue_teams", _("Rescue teams")
    PUBLIC = "public", _("The public")


class Course(models.Model):
    """A course the bureau offers; a passed exam earns a certificate valid `certificate_months` (0: none)."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=30, choices=Audience.choices)
    hours = models.PositiveSmallIntegerField(_("hours"), default=8)
    pass_score = models.PositiveSmallIntegerField(_("pass score"), default=60)
    certificate_months = models.PositiveSmallIntegerField(_("certificate valid (months)"), default=0)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("A course with this code exists."),
            ),
            models.CheckConstraint(
                condition=Q(pass_score__lte=100),
                name="%(app_label)s_%(class)s_pass_score_range",
                violation_error_message=_("The pass score lies between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


def new_signin_code() -> str:
    return secrets.token_urlsafe(12)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingSession(models.Model):
    """One run of a course: when, where, who teaches; trainees sign in with the QR code shown on its page."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions")
    org = models.ForeignKey(OrgUnit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    instructors = models.CharField(_("instructors"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity"), default=50)
    signin_code = models.CharField(_("sign-in code"), max_length=40, default=new_signin_code, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.UniqueConstraint(fields=["signin_code"], name="%(app_label)s_%(class)s_unique_signin_code"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    """A trainee of a session: enrolled, signed in (by QR), scored."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    org = models.ForeignKey(OrgUnit, verbose_name=_("trainee's unit"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40)
    position = models.CharField(_("position"), max_length=60, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("exam score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["session", "name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "phone"],
                name="%(app_label)s_%(class)s_once_per_session",
                violation_error_message=_("This person is already enrolled in the session."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="%(app_label)s_%(class)s_score_range",
                violation_error_message=_("A score lies between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.session}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """A training certificate held by a person of a unit, with its expiry."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates")
    attendance = models.OneToOneField(
        Attendance,
        verbose_name=_("attendance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    org = models.ForeignKey(OrgUnit, verbose_name=_("holder's unit"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder = models.CharField(_("holder"), max_length=60)
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )

    class Meta:
        ordering = ["expires_on", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("A certificate with this number exists."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="%(app_label)s_%(class)s_expires_after_issue",
                violation_error_message=_("A certificate expires after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder}"


class Reminder(models.Model):
    """An expiry reminder sent, so each certificate (ours, or a team member's in the resources registry) is
    reminded once per expiry date."""

    class Source(models.TextChoices):
        CERTIFICATE = "certificate", _("Training certificate")
        TEAM_MEMBER = "team_member", _("Team member's certificate")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(_("record"))
    expires_on = models.DateField(_("expires on"))
    recipients = models.PositiveIntegerField(_("people reminded"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "expires_on"],
                name="%(app_label)s_%(class)s_once",
                violation_error_message=_("Already reminded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}#{self.source_id} {self.expires_on}"


class FacilityKind(models.TextChoices):
    WATER = "water", pgettext_lazy("training facility", "Water rescue")
    REAL_FIRE = "real_fire", pgettext_lazy("training facility", "Real fire")
    COLLAPSE = "collapse", pgettext_lazy("training facility", "Collapse and confined space")
    TUNNEL = "tunnel", pgettext_lazy("training facility", "Tunnel")
    VEHICLE_SHIP = "vehicle_ship", pgettext_lazy("training facility", "Vehicle and ship")
    HIGH_RISE = "high_rise", pgettext_lazy("training facility", "High-rise")


class Facility(models.Model):
    """A training facility of the rescue base, booked by time slot; `capacity` is people at once."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("training facility")
        verbose_name_plural = _("training facilities")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("A facility with this code exists."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="%(app_label)s_%(class)s_has_capacity",
                violation_error_message=_("A facility holds at least one person."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A facility booked by a team or an enterprise for [starts_at, ends_at). Two booked slots of one facility
    never overlap: on PostgreSQL an exclusion constraint (btree_gist, migration 0002) holds it in the database;
    everywhere the booking service locks the facility row and checks first."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="bookings"
    )
    org = models.ForeignKey(OrgUnit, verbose_name=_("booked for"), on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    purpose = models.CharField(_("purpose"), max_length=300)
    people = models.PositiveIntegerField(pgettext_lazy("count", "people"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "facility"]
        verbose_name = _("facility booking")
        verbose_name_plural = _("facility bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A booking must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(people__gte=1),
                name="%(app_label)s_%(class)s_has_people",
                violation_error_message=_("A booking is for at least one person."),
            ),
        ]
        indexes = [models.Index(fields=["facility", "starts_at"], name="training_booking_slot_idx")]

    def __str__(self) -> str:
        return f"{self.facility} {self.starts_at:%Y-%m-%d %H:%M}"


class HallSlot(models.Model):
    """A visiting slot of the safety experience hall, for at most `capacity` visitors."""

    org = models.ForeignKey(OrgUnit, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity (visitors)"))
    active = models.BooleanField(_("open for booking"), default=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("hall slot")
        verbose_name_plural = _("hall slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A slot must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["starts_at"],
                name="%(app_label)s_%(class)s_unique_start",
                violation_error_message=_("A slot starts at this time already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class GroupKind(models.TextChoices):
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other group")


class HallBookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")


def new_confirmation_code() -> str:
    return secrets.token_hex(4).upper()


class HallBooking(models.Model):
    """A group's visit to the hall in a slot; `org` is the booker's unit (none for a booking by the public)."""

    slot = models.ForeignKey(HallSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings")
    org = models.ForeignKey(
        OrgUnit,
        verbose_name=pgettext_lazy("organisation", "unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group_name = models.CharField(_("group"), max_length=120)
    group_kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    contact = models.CharField(_("contact person"), max_length=60)
    phone = models.CharField(_("phone"), max_length=40)
    visitors = models.PositiveIntegerField(_("visitors"))
    code = models.CharField(_("confirmation code"), max_length=12, default=new_confirmation_code, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=HallBookingStatus.choices, default=HallBookingStatus.BOOKED
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["slot", "id"]
        verbose_name = _("hall booking")
        verbose_name_plural = _("hall bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(visitors__gte=1),
                name="%(app_label)s_%(class)s_has_visitors",
                violation_error_message=_("A visit is for at least one person."),
            ),
            models.UniqueConstraint(fields=["code"], name="%(app_label)s_%(class)s_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.group_name} {self.slot}"


class Topic(models.TextChoices):
    FIRE = "fire", _("Fire")
    GAS = "gas", _("Gas")
    ELECTRICITY = "electricity", _("Electricity")
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    FIRST_AID = "first_aid", _("First aid")
    HAZCHEM = "hazchem", _("Hazardous chemicals")
    ROAD = "road", _("Road safety")


class Question(models.Model):
    """A single-choice question of the hall's quiz bank."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, db_index=True)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), help_text=_("A list of 2 to 6 answers."))
    answer = models.PositiveSmallIntegerField(_("right choice (0-based)"))
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["topic", "id"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "text"],
                name="%(app_label)s_%(class)s_unique_text",
                violation_error_message=_("This question is already in the bank."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class QuizAttempt(models.Model):
    """One quiz taken at the hall or on a phone (no sign-in): which questions, what was answered, the score."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    questions = models.JSONField(_("questions"))
    answers = models.JSONField(_("answers"))
    correct = models.PositiveSmallIntegerField(_("right answers"))
    total = models.PositiveSmallIntegerField(_("questions answered"))
    score = models.PositiveSmallIntegerField(_("score"))
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.score}"
