from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ForestConfig(AppConfig):
    name = "yingji.forest"
    label = "forest"
    verbose_name = _("Forest fire prevention")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYER_INFO, LAYERS, LayerInfo
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, ensure_roles, grant
        from yingji.forest import maplayers

        everyone: list[str] = [r.value for r in Role]
        models = ["forestarea", "chainmember", "patrolroute", "patrol", "finding", "firepoint"]
        grant(everyone, *(f"forest.view_{m}" for m in [*models, "dangernotice", "missedpatrol"]))
        # The district and the streets keep the areas, their responsible chain and routes.
        keepers: list[str] = [Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER]
        grant(
            keepers,
            *(f"forest.{a}_{m}" for m in ["forestarea", "chainmember", "patrolroute"] for a in ("add", "change")),
        )
        # Rangers sign in as street staff or team members; they record patrols, findings and fire points.
        patrollers: list[str] = [Role.ADMIN, Role.DUTY_OFFICER, Role.STREET_OFFICER, Role.TEAM_LEADER, Role.INSPECTOR]
        grant(patrollers, "forest.add_patrol", "forest.change_patrol", "forest.add_finding", "forest.add_firepoint")
        grant([Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER], "forest.change_firepoint")
        post_migrate.connect(lambda **kwargs: ensure_roles(), sender=self, weak=False)
        LAYERS.update(maplayers.LAYERS)
        LAYER_INFO.update(
            forest_areas=LayerInfo(_("Forest areas"), colour="#16a34a", areas=True, order=50),
            forest_fires=LayerInfo(_("Fire points"), colour="#ea580c", order=51),
        )
        NAV.append(NavEntry(_("Forest fire prevention"), "forest:index", order=45))
