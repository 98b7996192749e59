from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

VIEW = [
    "incidents.view_incident",
    "incidents.view_incidenttype",
    "incidents.view_report",
    "incidents.view_task",
    "incidents.view_timelineentry",
    "incidents.view_dutyshift",
    "incidents.view_handover",
    "incidents.view_review",
    "incidents.view_dispatch",
    "incidents.view_materialrequest",
]


class IncidentsConfig(AppConfig):
    name = "yingji.incidents"
    label = "incidents"
    verbose_name = _("Duty desk and incidents")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYER_INFO, LAYERS, LayerInfo
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant
        from yingji.core.todos import TODO_SOURCES
        from yingji.incidents import activation, receivers, todos
        from yingji.incidents.selectors import incidents_layer
        from yingji.incidents.taxonomy import seed_types

        # Everyone reads within their scope; the duty officer records, the commander commands.
        grant(list(Role.values), *VIEW)
        grant(
            [Role.DUTY_OFFICER, Role.ADMIN],
            "incidents.add_incident",
            "incidents.change_incident",
            "incidents.add_dutyshift",
            "incidents.change_dutyshift",
            "incidents.add_handover",
            "incidents.change_task",
            "incidents.add_dispatch",
            "incidents.change_dispatch",
            "incidents.add_materialrequest",
        )
        grant(
            [Role.COMMANDER, Role.ADMIN],
            "incidents.add_dispatch",
            "incidents.change_dispatch",
            "incidents.add_materialrequest",
            "incidents.change_incident",
            "incidents.command_incident",
            "incidents.add_task",
            "incidents.change_task",
            "incidents.add_handover",
        )
        grant([Role.DUTY_OFFICER, Role.COMMANDER, Role.ADMIN], "incidents.add_timelineentry")
        # Streets report incidents in their area and write on their timelines; enterprises report their own accidents.
        grant(Role.STREET_OFFICER, "incidents.add_incident", "incidents.add_timelineentry")
        grant(Role.ENTERPRISE_MANAGER, "incidents.add_incident")
        grant([Role.DUTY_OFFICER, Role.COMMANDER, Role.ADMIN], "incidents.add_planactivation")
        # A team leader acknowledges and reports the progress of orders sent to their team.
        grant(Role.TEAM_LEADER, "incidents.change_dispatch")
        grant(Role.ADMIN, "incidents.add_incidenttype", "incidents.change_incidenttype")
        NAV.append(
            NavEntry(_("Duty desk"), "incidents:desk", lambda user: user.has_perm("incidents.view_incident"), order=10)
        )
        NAV.append(
            NavEntry(
                _("Dispatch orders"),
                "incidents:dispatches",
                # Those who move orders but do not send them: the team leaders.
                lambda user: user.has_perm("incidents.change_dispatch") and not user.has_perm("incidents.add_dispatch"),
                order=11,
            )
        )
        LAYERS["incidents"] = incidents_layer
        LAYER_INFO["incidents"] = LayerInfo(_("Open incidents"), colour="#be123c", order=40)
        TODO_SOURCES.extend(todos.SOURCES)
        receivers.connect()
        activation.connect()  # a red alarm proposes plans (after the incident it opens)
        # The taxonomy is data the duty desk relies on: restore missing types after every migrate (and flush).
        post_migrate.connect(lambda **kwargs: seed_types(self.get_model("IncidentType")), sender=self, weak=False)
