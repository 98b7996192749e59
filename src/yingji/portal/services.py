"""Commands of the public side: questions and answers, FAQ, articles, and public hazard reports (leads) that staff
turn into incidents or accept as hidden dangers. Public posts are rate-limited per address (ratelimit.py) and carry
a honeypot field."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from yingji.core.access import org_in_scope
from yingji.core.audit import audit_append
from yingji.core.commands import apply_changes, clean_or_fail, require_perm
from yingji.core.errors import ValidationFailed
from yingji.core.geo import in_district
from yingji.core.live import publish
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.photos import PhotoStore, media_file
from yingji.incidents.models import Incident, IncidentType
from yingji.incidents.services import incident_create
from yingji.portal import lifecycle
from yingji.portal.models import Article, Lead, LeadStatus, PublishStatus, Question, QuestionStatus
from yingji.portal.ratelimit import RateDecision, rate_hit
from yingji.risk.models import DangerGrade, DangerSource, HiddenDanger, PhotoStage
from yingji.risk.services import danger_create, danger_photo_add

# The duty desk's live channel (incidents.services.LIVE_CHANNEL): new leads appear there as they arrive.
DUTY_CHANNEL = "duty"
# Photos from the public: at most 5 MB (phones on a weak connection), kept under uploads/portal/leads/.
PHOTOS = PhotoStore("portal/leads", max_bytes=5 * 1024 * 1024)
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RateLimited(Exception):
    """Too many posts from one address; `retry_after_s` says when the next window opens."""

    def __init__(self, decision: RateDecision) -> None:
        super().__init__("rate limited")
        self.retry_after_s = decision.retry_after_s


def _receipt(prefix: str) -> str:
    return prefix + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(9))


def _guard(*, scope: str, address: str, honeypot: str) -> None:
    """Refuse a bot that filled the hidden field, then count the post against the address's limit."""
    if honeypot:
        message = _("This field must stay empty.")
        raise ValidationFailed(message, {"website": [message]})
    decision = rate_hit(scope=scope, address=address)
    if not decision.allowed:
        raise RateLimited(decision)


def _text(value: str, field: str, *, required: bool = True, max_length: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        message = _("This field is required.")
        raise ValidationFailed(f"{field}: {message}", {field: [message]})
    if len(value) > max_length:
        message = _("At most %(n)d characters.") % {"n": max_length}
        raise ValidationFailed(f"{field}: {message}", {field: [message]})
    return value


# --- questions --------------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *, address: str, category: str, text: str, contact: str = "", honeypot: str = "", now: datetime | None = None
) -> Question:
    """A question from the public: counted against the address's limit (RateLimited beyond it)."""
    _guard(scope="question", address=address, honeypot=honeypot)
    question = Question(
        category=category,
        text=_text(text, "text"),
        contact=_text(contact, "contact", required=False, max_length=100),
        receipt=_receipt("Q"),
        asked_at=now or timezone.now(),
    )
    clean_or_fail(question)
    question.save()
    audit_append(actor=None, action="portal.question.ask", obj=question, summary=f"公众咨询 {question.receipt}")
    return question


@transaction.atomic
def question_answer(
    *, by: User | None, question: Question, answer: str, faq_title: str = "", faq: bool = False
) -> Question:
    """Answer a question (again, to correct it); `faq` publishes it in the FAQ, without the asker's contact."""
    require_perm(by, "portal.change_question")
    question = Question.objects.select_for_update().get(pk=question.pk)
    first = question.answered_at is None
    changes = {
        "answer": _text(answer, "answer", max_length=4000),
        "status": QuestionStatus.ANSWERED,
        "faq": faq,
        "faq_title": _text(faq_title, "faq_title", required=False, max_length=200),
    }
    if first:
        changes |= {"answered_by": by, "answered_at": timezone.now()}
    question, _diff = apply_changes(
        by=by,
        instance=question,
        changes=changes,
        fields=("answer", "status", "faq", "faq_title", "answered_by", "answered_at"),
        action="portal.question.answer",
        summary=f"答复咨询 {question.receipt}",
    )
    return question


@transaction.atomic
def question_close(*, by: User | None, question: Question) -> Question:
    """Close a question that needs no answer (spam, abuse, a duplicate)."""
    require_perm(by, "portal.change_question")
    question = Question.objects.select_for_update().get(pk=question.pk)
    question, _diff = apply_changes(
        by=by,
        instance=question,
        changes={"status": QuestionStatus.CLOSED, "faq": False},
        fields=("status", "faq"),
        action="portal.question.close",
        summary=f"关闭咨询 {question.receipt}",
    )
    return question


# --- articles ---------------------------------------------------------------------------------------------------

ARTICLE_FIELDS = ("kind", "topic", "season", "title", "summary", "body", "exercise")


@transaction.atomic
def article_create(
    *,
    by: User | None,
    org: OrgUnit,
    title: str,
    body: str,
    kind: str = "knowledge",
    topic: str = "other",
    season: str = "all",
    summary: str = "",
    exercise: bool = False,
) -> Article:
    """A draft article; the public sees it once published."""
    require_perm(by, "portal.add_article")
    article = Article(
        org=org,
        kind=kind,
        topic=topic,
        season=season,
        title=title.strip(),
        summary=summary.strip(),
        body=body.strip(),
        exercise=exercise,
        created_by=by,
    )
    clean_or_fail(article)
    article.save()
    audit_append(actor=by, action="portal.article.create", obj=article, summary=f"撰写文章 {article.title}")
    return article


@transaction.atomic
def article_update(*, by: User | None, article: Article, **changes: object) -> Article:
    require_perm(by, "portal.change_article")
    article = Article.objects.select_for_update().get(pk=article.pk)
    article, _diff = apply_changes(
        by=by, instance=article, changes=changes, fields=ARTICLE_FIELDS, action="portal.article.update"
    )
    return article


@transaction.atomic
def article_set_status(*, by: User | None, article: Article, status: str) -> Article:
    """Publish or archive an article (lifecycle.ARTICLE)."""
    require_perm(by, "portal.change_article")
    article = Article.objects.select_for_update().get(pk=article.pk)
    lifecycle.ARTICLE.check(article.status, status)
    changes: dict[str, object] = {"status": status}
    if status == PublishStatus.PUBLISHED:
        changes["published_at"] = timezone.now()
    article, _diff = apply_changes(
        by=by,
        instance=article,
        changes=changes,
        fields=("status", "published_at"),
        action=f"portal.article.{status}",
        summary=f"{article.title}",
    )
    return article


# --- leads (随手拍) ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    """A photo as uploaded: its bytes and the name the sender gave (only for the record)."""

    content: bytes
    name: str = ""


def _street_of(lat: float | None, lon: float | None) -> OrgUnit:
    """The street whose area holds the point, else the district (the duty desk sorts it out)."""
    if lat is not None and lon is not None:
        point = Point(lon, lat)
        for unit in OrgUnit.objects.filter(kind=OrgKind.STREET, active=True, area__isnull=False).only("id", "area"):
            if shape(unit.area).covers(point):
                return OrgUnit.objects.get(pk=unit.pk)
    district = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).order_by("path").first()
    if district is None:
        raise ValidationFailed(_("no district"), {"__all__": [_("The org tree has no district.")]})
    return district


def lead_summary(lead: Lead) -> dict[str, object]:
    """What a live event says of a lead (no contact details)."""
    return {
        "id": lead.pk,
        "receipt": lead.receipt,
        "kind": lead.kind,
        "kind_label": str(lead.get_kind_display()),
        "description": lead.description[:200],
        "address": lead.address,
        "lat": lead.lat,
        "lon": lead.lon,
        "status": lead.status,
        "street": lead.org.name,
        "reported_at": lead.reported_at.isoformat(),
    }


@transaction.atomic
def lead_report(
    *,
    address: str,
    kind: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    place: str = "",
    contact: str = "",
    photo: Photo | None = None,
    honeypot: str = "",
) -> Lead:
    """A hazard reported by the public (随手拍): stored with its photo, placed in its street, pushed to the duty
    desk as a lead. Returns the lead; its receipt code lets the reporter follow it."""
    _guard(scope="lead", address=address, honeypot=honeypot)
    if (lat is None) != (lon is None):
        message = _("Give both latitude and longitude, or neither.")
        raise ValidationFailed(message, {"lon": [message]})
    if lat is not None and lon is not None and not in_district(lat, lon):
        message = _("The point lies outside the district.")
        raise ValidationFailed(message, {"lat": [message], "lon": [message]})
    place = _text(place, "place", required=False, max_length=200)
    if lat is None and not place:
        message = _("Give the place: your location or an address.")
        raise ValidationFailed(message, {"place": [message]})
    lead = Lead(
        receipt=_receipt("H"),
        kind=kind,
        description=_text(description, "description"),
        lat=lat,
        lon=lon,
        address=place,
        contact=_text(contact, "contact", required=False, max_length=100),
        org=_street_of(lat, lon),
        reported_at=timezone.now(),
    )
    clean_or_fail(lead, exclude=["photo", "photo_sha256", "photo_type"])
    if photo is not None:
        stored = PHOTOS.keep(photo.content)
        lead.photo, lead.photo_sha256, lead.photo_type, lead.photo_bytes = (
            stored.path,
            stored.sha256,
            stored.content_type,
            stored.size,
        )
    lead.save()
    audit_append(actor=None, action="portal.lead.report", obj=lead, summary=f"公众随手拍 {lead.receipt}")
    data, scope = lead_summary(lead), lead.org.path
    transaction.on_commit(lambda: publish(DUTY_CHANNEL, "lead", data, scope=scope))
    return lead


def _lead_move(by: User | None, lead: Lead, status: str, **extra: object) -> Lead:
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    lifecycle.LEAD.check(lead.status, status)
    lead, _diff = apply_changes(
        by=by,
        instance=lead,
        changes={"status": status, "handled_by": by, "handled_at": timezone.now(), **extra},
        fields=("status", "handled_by", "handled_at", "public_note", "incident", "danger"),
        action=f"portal.lead.{status}",
        summary=f"随手拍 {lead.receipt}",
    )
    data, scope = lead_summary(lead), lead.org.path
    transaction.on_commit(lambda: publish(DUTY_CHANNEL, "lead", data, scope=scope))
    return lead


@transaction.atomic
def lead_review(*, by: User | None, lead: Lead) -> Lead:
    """Staff have started checking the report."""
    require_perm(by, "portal.change_lead")
    return _lead_move(by, lead, LeadStatus.REVIEWING, public_note=_("Being checked by the duty desk."))


@transaction.atomic
def lead_dismiss(*, by: User | None, lead: Lead, note: str) -> Lead:
    """Close a report that needs no action, with a note the reporter sees."""
    require_perm(by, "portal.change_lead")
    return _lead_move(by, lead, LeadStatus.DISMISSED, public_note=_text(note, "note", max_length=300))


@transaction.atomic
def lead_to_incident(
    *,
    by: User | None,
    lead: Lead,
    type: IncidentType,
    title: str = "",
    note: str = "",  # noqa: A002
) -> tuple[Lead, Incident]:
    """Turn a lead into an incident through the incidents app's service (source: public portal)."""
    require_perm(by, "portal.change_lead")
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    lifecycle.LEAD.check(lead.status, LeadStatus.INCIDENT)
    incident = incident_create(
        by=by,
        title=_text(title, "title", required=False, max_length=200)
        or f"{lead.get_kind_display()}（随手拍 {lead.receipt}）",
        category=type.category,
        type=type,
        occurred_at=lead.reported_at,
        received_at=lead.reported_at,
        lat=lead.lat,
        lon=lead.lon,
        address=lead.address,
        source="portal",
        reporter_phone=lead.contact[:40],
        description=lead.description,
    )
    lead = _lead_move(
        by,
        lead,
        LeadStatus.INCIDENT,
        incident=incident,
        public_note=_text(note, "note", required=False, max_length=300) or _("Handed to the duty desk for action."),
    )
    return lead, incident


@transaction.atomic
def lead_to_danger(
    *,
    by: User | None,
    lead: Lead,
    enterprise: OrgUnit | int | None,
    grade: str = DangerGrade.GENERAL,
    title: str = "",
    note: str = "",
) -> tuple[Lead, HiddenDanger]:
    """Accept a lead as a hidden danger (隐患) of an enterprise through the risk app's services: found by the
    public, at the time of the report, with the lead's photo as the photo "as found". The hidden danger then runs
    the risk app's closed loop (rectify, verify, close), and the reporter sees its progress on the receipt page.
    The actor needs both the lead (portal.change_lead) and hidden dangers (risk.add_hiddendanger) in scope."""
    require_perm(by, "portal.change_lead")
    require_perm(by, "risk.add_hiddendanger")
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    lifecycle.LEAD.check(lead.status, LeadStatus.DANGER)
    unit = org_in_scope(by, enterprise, field="enterprise", required=True)
    if unit is None or unit.kind != OrgKind.ENTERPRISE:
        message = _("Choose the enterprise where the hazard lies.")
        raise ValidationFailed(message, {"enterprise": [message]})
    place = lead.address or (f"{lead.lat:.5f}, {lead.lon:.5f}" if lead.lat is not None else "")
    danger = danger_create(
        by=by,
        org=unit,
        title=_text(title, "title", required=False, max_length=200)
        or f"{lead.get_kind_display()}（随手拍 {lead.receipt}）",
        description=lead.description,
        location=place[:200],
        grade=grade,
        source=DangerSource.PUBLIC,
        found_at=lead.reported_at,
    )
    photo = media_file(lead.photo)
    if photo is not None:
        danger_photo_add(
            by=by, danger=danger, stage=PhotoStage.FOUND, data=photo.read_bytes(), filename=f"{lead.receipt}"
        )
    lead = _lead_move(
        by,
        lead,
        LeadStatus.DANGER,
        danger=danger,
        public_note=_text(note, "note", required=False, max_length=300)
        or _("Registered as a hidden danger; the enterprise must rectify it."),
    )
    return lead, danger
