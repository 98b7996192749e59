from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "yingji.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from yingji.core.models import User
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant

        desk: list[str] = [Role.ADMIN, Role.DUTY_OFFICER]
        # The duty desk answers the public and turns their reports into incidents; the commander reads along.
        grant(desk, "portal.view_question", "portal.change_question", "portal.view_lead", "portal.change_lead")
        grant(desk, "portal.view_article", "portal.add_article", "portal.change_article")
        grant(Role.COMMANDER, "portal.view_question", "portal.view_lead", "portal.view_article")
        # Streets check the hazard reports that lie in them.
        grant(Role.STREET_OFFICER, "portal.view_lead", "portal.change_lead", "portal.view_article")
        NAV.append(
            NavEntry(
                _("Public portal"),
                "portal:index",
                lambda user: (
                    isinstance(user, User)
                    and (user.has_perm("portal.view_question") or user.has_perm("portal.view_lead"))
                ),
                order=60,
            )
        )
