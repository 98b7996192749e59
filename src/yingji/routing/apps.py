from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "yingji.routing"
    label = "routing"
    verbose_name = _("Road network and routing")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYERS, VIEW_LAYERS
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant
        from yingji.routing.selectors import places_layer, railways_layer, roads_layer, water_layer

        grant(Role.ADMIN, "routing.view_roadnetwork", "routing.change_roadnetwork", "routing.delete_roadnetwork")
        NAV.append(NavEntry(_("Road networks"), "routing:network-list", order=60))
        # The base map under every map: roads by class, water, railways and place names, thinned by the view.
        LAYERS.update(roads=roads_layer, water=water_layer, railways=railways_layer, places=places_layer)
        VIEW_LAYERS.update({"roads", "water", "railways", "places"})
