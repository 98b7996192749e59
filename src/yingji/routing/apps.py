from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "yingji.routing"
    label = "routing"
    verbose_name = _("Road network and routing")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYERS
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant
        from yingji.routing.selectors import active_network_layer

        grant(Role.ADMIN, "routing.view_roadnetwork", "routing.change_roadnetwork", "routing.delete_roadnetwork")
        NAV.append(NavEntry(_("Road networks"), "routing:network-list", order=60))
        LAYERS["roads"] = active_network_layer
