from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_view_statistics(user: object) -> bool:
    from yingji.core.models import User

    return isinstance(user, User) and user.has_perm("analytics.view_statistics")


class AnalyticsConfig(AppConfig):
    name = "yingji.analytics"
    label = "analytics"
    verbose_name = _("Analytics and reports")

    def ready(self) -> None:
        from yingji.analytics import stats  # noqa: F401 — fills the statistics registry
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant

        everyone = list(Role.values)
        # Everyone reads the figures of their own area; the bureau's leaders set targets and keep the funds.
        grant(everyone, "analytics.view_statistics", "analytics.view_report", "analytics.view_controltarget")
        grant(
            [Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER, Role.ENTERPRISE_MANAGER],
            "analytics.add_report",
        )
        grant([Role.ADMIN, Role.COMMANDER], "analytics.add_controltarget", "analytics.change_controltarget")
        grant(
            [Role.ADMIN, Role.COMMANDER],
            "analytics.view_budgetline",
            "analytics.view_fundentry",
            "analytics.view_rewardaward",
        )
        grant(
            Role.ADMIN,
            "analytics.add_budgetline",
            "analytics.change_budgetline",
            "analytics.add_fundentry",
            "analytics.add_rewardaward",
        )
        NAV.append(NavEntry(_("Command dashboard"), "dashboard", order=5))
        NAV.append(NavEntry(_("Statistics"), "analytics:stats", _may_view_statistics, order=60))
