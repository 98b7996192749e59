"""The navigation: only areas that exist, and only those the user may open."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yingji.core.models import User
from yingji.core.notify import notification_list


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    allowed: Callable[[User], bool] = lambda user: True  # of a signed-in user
    order: int = 50  # the daily work first (duty desk, resources), housekeeping last


# Later apps append their entries in their AppConfig.ready().
NAV: list[NavEntry] = [
    NavEntry(_("Workbench"), "workbench", order=0),
    NavEntry(_("Organisations"), "core:org-list", order=80),
    NavEntry(_("Messages"), "core:notification-list", order=85),
    NavEntry(_("API tokens"), "core:token-list", order=90),
    NavEntry(_("Administration"), "admin:index", lambda user: user.is_staff, order=95),
    NavEntry(
        _("Audit log"), "admin:core_auditentry_changelist", lambda user: user.has_perm("core.view_auditentry"), order=96
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "unread": 0}
    assert isinstance(user, User)  # an authenticated user is one of ours
    entries = []
    for entry in sorted(NAV, key=lambda e: e.order):
        if not entry.allowed(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "url_name": entry.url_name, "active": request.path == url})
    return {"nav": entries, "unread": notification_list(user=user, unread=True).count()}
