from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "yingji.resources"
    label = "resources"
    verbose_name = _("Emergency resources")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYER_INFO, LAYERS
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant
        from yingji.resources import maplayers

        registries = ["team", "teammember", "expert", "equipment", "materialitem", "warehouse", "shelter"]
        everyone = [r.value for r in Role]
        grant(everyone, *(f"resources.view_{m}" for m in [*registries, "stockbalance", "stockmovement"]))
        grant(Role.ADMIN, *(f"resources.{a}_{m}" for m in registries for a in ("add", "change")))
        grant(Role.ADMIN, "resources.add_stockmovement", "resources.change_stockbalance")
        grant(Role.ADMIN, "resources.view_communitypopulation", "resources.change_communitypopulation")
        # The duty desk and the commander issue stock and move teams during a response.
        grant([Role.DUTY_OFFICER, Role.COMMANDER], "resources.add_stockmovement", "resources.change_team")
        # Streets keep their shelters, volunteer teams, experts, equipment and reserves current.
        grant(
            Role.STREET_OFFICER,
            *(
                f"resources.{a}_{m}"
                for m in ["team", "expert", "equipment", "warehouse", "shelter"]
                for a in ("add", "change")
            ),
            "resources.add_stockmovement",
            "resources.change_stockbalance",
            "resources.view_communitypopulation",
            "resources.change_communitypopulation",
        )
        # Enterprises keep their own teams, equipment and reserves.
        grant(
            Role.ENTERPRISE_MANAGER,
            *(f"resources.{a}_{m}" for m in ["team", "equipment", "warehouse"] for a in ("add", "change")),
            "resources.add_stockmovement",
            "resources.change_stockbalance",
        )
        # A team leader keeps their own team's status and roll.
        grant(Role.TEAM_LEADER, "resources.change_team")

        LAYERS.update(maplayers.LAYERS)
        LAYER_INFO.update(maplayers.INFO)
        NAV.append(NavEntry(_("Emergency resources"), "resources:index", order=20))
        NAV.append(NavEntry(_("One map"), "resources:map", order=21))
