"""The navigation: only areas that exist, and only those the user may open."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yingji.core.notify import notification_list
from yingji.core.roles import is_system_admin


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    allowed: Callable[[object], bool] = lambda user: True


# Later apps append their entries in their AppConfig.ready().
NAV: list[NavEntry] = [
    NavEntry(_("Workbench"), "workbench"),
    NavEntry(_("Organisations"), "core:org-list"),
    NavEntry(_("Messages"), "core:notification-list"),
    NavEntry(_("API tokens"), "core:token-list"),
    NavEntry(_("Administration"), "admin:index", lambda user: user.is_staff),
    NavEntry(_("Audit log"), "admin:core_auditentry_changelist", is_system_admin),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "unread": 0}
    entries = []
    for entry in NAV:
        if not entry.allowed(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "url_name": entry.url_name, "active": request.path == url})
    return {"nav": entries, "unread": notification_list(user=user, unread=True).count()}
