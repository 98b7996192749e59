from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "yingji.monitoring"
    label = "monitoring"
    verbose_name = _("IoT monitoring")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYER_INFO, LAYERS, LayerInfo
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.processes import supervise
        from yingji.core.roles import Role, ensure_roles, grant
        from yingji.monitoring import conf, maplayers

        everyone = [r.value for r in Role]
        grant(
            everyone,
            *(f"monitoring.view_{m}" for m in ["device", "alarm", "alarmevent", "rule", "firedangerday"]),
            "monitoring.view_warningsuggestion",
        )
        # Those who answer alarms acknowledge, assign and close them.
        grant(
            [Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER, Role.ENTERPRISE_MANAGER],
            "monitoring.change_alarm",
        )
        # The district keeps the device registry and the rules; enterprises register their own sensors.
        grant([Role.ADMIN, Role.DUTY_OFFICER], "monitoring.add_rule", "monitoring.change_rule")
        grant(
            [Role.ADMIN, Role.DUTY_OFFICER, Role.ENTERPRISE_MANAGER],
            "monitoring.add_device",
            "monitoring.change_device",
        )
        grant(Role.ADMIN, "monitoring.view_deadletter")
        # core's hook runs before this app's permissions exist: give the roles their monitoring rights again.
        post_migrate.connect(lambda **kwargs: ensure_roles(), sender=self, weak=False)
        LAYERS.update(maplayers.LAYERS)
        LAYER_INFO.update(
            devices=LayerInfo(_("Devices"), colour="#0891b2", cluster=True, order=30),
            alarms=LayerInfo(_("Open alarms"), colour="#dc2626", order=31),
        )
        NAV.append(NavEntry(_("Monitoring and early warning"), "monitoring:index", order=30))
        # `yingji run` starts ingest when there is a broker to read, and the Modbus poller always: it idles without
        # endpoints and picks up endpoints added later within a minute.
        supervise("ingest", ("ingest",), wanted=lambda: bool(conf.mqtt_url()))
        supervise("modbus", ("modbus",))
