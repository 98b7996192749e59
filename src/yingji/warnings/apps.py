from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "yingji.warnings"
    label = "warnings"
    verbose_name = _("Early warnings")

    def ready(self) -> None:
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant
        from yingji.core.todos import TODO_SOURCES
        from yingji.warnings.lifecycle import PERM_ROLES
        from yingji.warnings.todos import warning_todos

        TODO_SOURCES.append(warning_todos)

        grant(list(Role), "warnings.view_earlywarning")
        for permission, roles in PERM_ROLES.items():
            grant(list(roles), permission)
        grant(Role.ADMIN, "core.view_subscription", "core.add_subscription", "core.change_subscription")
        grant(Role.ADMIN, "core.view_channelconfig", "core.add_channelconfig", "core.change_channelconfig")
        grant(Role.ADMIN, "core.view_delivery", "core.change_delivery", "core.view_outboxmessage")
        NAV.append(NavEntry(_("Warnings"), "warnings:list", order=40))
