"""Queries over early warnings. Published messages are public record, except a drill's (exercise), which only
signed-in staff see; drafts and approved ones are seen within the issuing unit's scope (core.scopes)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.scopes import scoped
from yingji.warnings.models import EarlyWarning, MsgType, Status


def _base() -> QuerySet[EarlyWarning]:
    return EarlyWarning.objects.select_related("org", "created_by", "approved_by", "published_by", "references")


def warning_visible(*, user: User | AnonymousUser | None) -> QuerySet[EarlyWarning]:
    """Everything published, plus the unpublished warnings of units in the user's scope. The public (no user)
    never sees a drill's warnings: they stay inside the platform."""
    published = _base().filter(sent__isnull=False)
    if user is None or not user.is_authenticated:
        return published.filter(exercise=False)
    return published | scoped(_base(), user)


def warning_list(
    *,
    user: User | AnonymousUser | None,
    level: str | None = None,
    status: str | None = None,
    event_type: str | None = None,
    q: str | None = None,
) -> QuerySet[EarlyWarning]:
    warnings = warning_visible(user=user)
    if level:
        warnings = warnings.filter(level=level)
    if status:
        warnings = warnings.filter(status=status)
    if event_type:
        warnings = warnings.filter(event_type=event_type)
    if q:
        warnings = warnings.filter(
            Q(headline__icontains=q) | Q(description__icontains=q) | Q(area_desc__icontains=q) | Q(identifier=q)
        )
    return warnings.prefetch_related("streets").order_by("-created_at", "-id")


def warning_get(*, user: User | AnonymousUser | None, warning_id: int) -> EarlyWarning:
    try:
        return warning_visible(user=user).prefetch_related("streets").get(pk=warning_id)
    except (EarlyWarning.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def warning_current() -> QuerySet[EarlyWarning]:
    """Warnings in force now: published (not superseded or cancelled), not expired; Cancel messages are not
    warnings in force."""
    now = timezone.now()
    return (
        _base()
        .filter(status=Status.PUBLISHED, msg_type__in=[MsgType.ALERT, MsgType.UPDATE])
        .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        .order_by("-sent", "-id")
    )


def streets_for(*, user: User) -> QuerySet[OrgUnit]:
    """The streets a user may name as a warning's area."""
    return scoped(OrgUnit.objects.filter(kind=OrgKind.STREET, active=True), user, org_field="").order_by("code")


def streets_resolve(*, user: User, values: list[str | int]) -> tuple[list[OrgUnit], list[str]]:
    """Streets named by id or by name; returns the streets found and the values that named none."""
    streets = list(streets_for(user=user))
    by_id = {str(s.pk): s for s in streets}
    by_name = {s.name: s for s in streets}
    found, unknown = [], []
    for value in values:
        street = by_id.get(str(value)) or by_name.get(str(value).strip())
        if street is None:
            unknown.append(str(value))
        elif street not in found:
            found.append(street)
    return found, unknown
