from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW = ["plans.view_plan", "plans.view_drill", "plans.view_scenario"]
AUTHOR = ["plans.add_plan", "plans.change_plan", "plans.add_drill", "plans.change_drill"]


class PlansConfig(AppConfig):
    name = "yingji.plans"
    label = "plans"
    verbose_name = _("Emergency plans")

    def ready(self) -> None:
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant

        grant(list(Role.values), *VIEW)
        # Units write, revise and drill their own plans; the bureau reviews, files and keeps the scenario library.
        grant([Role.ADMIN, Role.COMMANDER, Role.DUTY_OFFICER, Role.STREET_OFFICER, Role.ENTERPRISE_MANAGER], *AUTHOR)
        grant(
            [Role.ADMIN, Role.COMMANDER],
            "plans.review_plan",
            "plans.file_plan",
            "plans.add_scenario",
            "plans.change_scenario",
        )

        def may_view(user: Any) -> bool:
            return bool(user.has_perm("plans.view_plan"))

        NAV.append(NavEntry(_("Plans"), "plans:list", may_view, order=30))
