from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS = [
    "disasterevent",
    "disasterreport",
    "household",
    "distribution",
    "volunteer",
    "callout",
    "calloutreply",
    "socialorganisation",
    "award",
]


class ReliefConfig(AppConfig):
    name = "yingji.relief"
    label = "relief"
    verbose_name = _("Disaster relief")

    def ready(self) -> None:
        from yingji.core.models import User
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant

        staff: list[str] = [Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER]
        grant(staff, *(f"relief.view_{m}" for m in MODELS))
        # Streets report their damage, keep their households and volunteers and hand out relief; the bureau too.
        doers: list[str] = [Role.ADMIN, Role.DUTY_OFFICER, Role.STREET_OFFICER]
        grant(
            doers,
            "relief.add_disasterreport",
            "relief.add_household",
            "relief.change_household",
            "relief.add_distribution",
            "relief.add_volunteer",
            "relief.change_volunteer",
            "relief.add_callout",
            "relief.change_callout",
            "relief.add_socialorganisation",
            "relief.change_socialorganisation",
            "relief.add_award",
        )
        bureau: list[str] = [Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER]
        grant(bureau, "relief.add_disasterevent", "relief.change_disasterevent")
        # Money is decided above the street: the commander or an administrator, never the submitter.
        deciders: list[str] = [Role.ADMIN, Role.COMMANDER]
        grant(deciders, "relief.approve_award", "relief.change_award", "relief.add_award")
        NAV.append(
            NavEntry(
                _("Disaster relief"),
                "relief:index",
                lambda user: isinstance(user, User) and user.has_perm("relief.view_disasterevent"),
                order=45,
            )
        )
