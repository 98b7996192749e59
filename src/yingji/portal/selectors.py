"""What the public sees (published, non-exercise content only, never personal data) and the staff's lists.

Warnings are read only through the warnings app's selectors."""

from datetime import timedelta
from statistics import median
from typing import Any

from django.db.models import F, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yingji.core.access import scoped
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.portal.guides import guide_for
from yingji.portal.models import Article, Lead, PublishStatus, Question, QuestionStatus
from yingji.portal.walking import walk_from
from yingji.resources.models import Shelter
from yingji.warnings.models import EarlyWarning, Status
from yingji.warnings.selectors import warning_current, warning_visible


def _has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


# Hook: once the warnings app marks drill messages (an `exercise` flag), the public never sees them. Until then
# the public sees what warnings' `warning_current()` gives: published, in force, not superseded or cancelled.
WARNINGS_HAVE_EXERCISE_FLAG = _has_field(EarlyWarning, "exercise")


def public_warnings() -> QuerySet[EarlyWarning]:
    """Warnings in force that the public may see."""
    warnings = warning_current()
    if WARNINGS_HAVE_EXERCISE_FLAG:
        warnings = warnings.filter(exercise=False)
    return warnings.prefetch_related("streets")


def public_warning_card(*, warning_id: int) -> dict[str, Any]:
    """One warning for its public page (the Atom feed links here): published ones only, also once superseded,
    cancelled or expired (the page says so); drafts, unpublished and exercise messages are Http404."""
    # warning_visible(user=None) is the public record: every message ever sent, never a draft or an approval.
    rows = warning_visible(user=None).filter(status__in=[Status.PUBLISHED, Status.UPDATED, Status.CANCELLED])
    if WARNINGS_HAVE_EXERCISE_FLAG:
        rows = rows.filter(exercise=False)
    try:
        warning = rows.prefetch_related("streets").get(pk=warning_id)
    except (EarlyWarning.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    items, verified = guide_for(warning.event_type, warning.level)
    in_force = warning_current().filter(pk=warning.pk).exists()
    return {"warning": warning, "guide": items, "guide_verified": verified, "in_force": in_force}


def public_warning_cards() -> list[dict[str, Any]]:
    """Warnings in force with their defence guidance, most severe first."""
    rank = {"red": 0, "orange": 1, "yellow": 2, "blue": 3}
    cards: list[dict[str, Any]] = []
    for warning in public_warnings():
        items, verified = guide_for(warning.event_type, warning.level)
        cards.append({"warning": warning, "guide": items, "guide_verified": verified})
    cards.sort(key=lambda c: (rank.get(c["warning"].level, 9), -(c["warning"].sent or timezone.now()).timestamp()))
    return cards


def public_articles(*, kind: str | None = None, topic: str | None = None, season: str | None = None) -> QuerySet:
    rows = Article.objects.filter(status=PublishStatus.PUBLISHED, exercise=False, published_at__lte=timezone.now())
    if kind:
        rows = rows.filter(kind=kind)
    if topic:
        rows = rows.filter(topic=topic)
    if season:
        rows = rows.filter(season__in=[season, "all"])
    return rows.order_by("-published_at", "-id")


def public_article_get(*, article_id: int) -> Article:
    try:
        return public_articles().get(pk=article_id)
    except (Article.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def faq_list(*, category: str | None = None, q: str | None = None) -> QuerySet[Question]:
    rows = Question.objects.filter(faq=True, status=QuestionStatus.ANSWERED)
    if category:
        rows = rows.filter(category=category)
    if q:
        rows = rows.filter(Q(faq_title__icontains=q) | Q(text__icontains=q) | Q(answer__icontains=q))
    return rows.order_by("-answered_at", "-id")


def question_by_receipt(*, receipt: str) -> Question:
    question = Question.objects.filter(receipt=(receipt or "").strip().upper()[:16]).first()
    if question is None:
        raise Http404
    return question


def lead_by_receipt(*, receipt: str) -> Lead:
    lead = Lead.objects.select_related("danger").filter(receipt=(receipt or "").strip().upper()[:16]).first()
    if lead is None:
        raise Http404
    return lead


# --- shelters ---------------------------------------------------------------------------------------------------


def open_shelters() -> QuerySet[Shelter]:
    """Open shelters with a location and free places: the only ones the public is sent to."""
    return Shelter.objects.filter(is_open=True, lat__isnull=False, capacity__gt=F("occupancy")).order_by("code")


def nearest_shelters(*, lat: float, lon: float, limit: int = 5) -> list[dict[str, Any]]:
    """Open shelters with room, ordered by walking time from the point. Only public facts of each shelter."""
    shelters = {s.pk: s for s in open_shelters()}
    targets = [(s.pk, s.lat, s.lon) for s in shelters.values() if s.lat is not None and s.lon is not None]
    walks = walk_from(lat=lat, lon=lon, targets=targets, limit=limit)
    return [
        {
            "id": w.key,
            "name": shelters[w.key].name,
            "address": shelters[w.key].address,
            "shelter_class": shelters[w.key].shelter_class,
            "shelter_class_label": str(shelters[w.key].get_shelter_class_display()),
            "lat": shelters[w.key].lat,
            "lon": shelters[w.key].lon,
            "capacity": shelters[w.key].capacity,
            "free_capacity": shelters[w.key].free_capacity,
            "eta_s": w.eta_s,
            "distance_m": w.distance_m,
            "route": w.route,
        }
        for w in walks
    ]


# --- staff ------------------------------------------------------------------------------------------------------


def question_list(*, user: User, status: str | None = None, q: str | None = None) -> QuerySet[Question]:
    """Questions for staff who answer them (the consultation column is the bureau's, district-wide)."""
    if not user.has_perm("portal.view_question"):
        return Question.objects.none()
    rows = Question.objects.select_related("answered_by")
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(text__icontains=q) | Q(receipt=q.upper()))
    return rows.order_by("-asked_at", "-id")


def question_get(*, user: User, question_id: int) -> Question:
    try:
        return question_list(user=user).get(pk=question_id)
    except (Question.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def response_stats(*, user: User, days: int = 30) -> dict[str, Any]:
    """Questions asked in the last `days`: how many, answered, and the response time (median, mean, slowest) in
    hours, plus how many are still waiting."""
    since = timezone.now() - timedelta(days=days)
    rows = list(question_list(user=user).filter(asked_at__gte=since).values_list("asked_at", "answered_at"))
    hours = [(a - q).total_seconds() / 3600 for q, a in rows if a is not None]
    return {
        "days": days,
        "asked": len(rows),
        "answered": len(hours),
        "waiting": len(rows) - len(hours),
        "median_h": round(median(hours), 1) if hours else None,
        "mean_h": round(sum(hours) / len(hours), 1) if hours else None,
        "max_h": round(max(hours), 1) if hours else None,
        "within_24h": sum(1 for h in hours if h <= 24),
    }


def lead_list(*, user: User, status: str | None = None) -> QuerySet[Lead]:
    rows = scoped(Lead.objects.select_related("org", "handled_by", "incident", "danger"), user)
    if not user.has_perm("portal.view_lead"):
        return rows.none()
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-reported_at", "-id")


def enterprises_for_leads(*, user: User) -> QuerySet[OrgUnit]:
    """Enterprises a lead may be accepted against as a hidden danger: active ones in the user's scope."""
    return scoped(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE, active=True), user, org_field="").order_by("name")


def article_list(*, user: User, kind: str | None = None, status: str | None = None) -> QuerySet[Article]:
    rows = scoped(Article.objects.select_related("org", "created_by"), user)
    if not user.has_perm("portal.view_article"):
        return rows.none()
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")
