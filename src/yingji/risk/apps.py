from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "yingji.risk"
    label = "risk"
    verbose_name = _("Dual prevention")

    def ready(self) -> None:
        from yingji.core.maplayers import LAYER_INFO, LAYERS
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, grant
        from yingji.risk import maplayers

        models = [
            "enterpriseprofile",
            "riskpoint",
            "hiddendanger",
            "hazardunit",
            "inspectionplan",
            "draw",
            "inspection",
            "enforcementdocument",
            "commitment",
        ]
        grant(list(Role), *(f"risk.view_{m}" for m in models))
        # The bureau (administrators and inspectors) keeps every register and enforces.
        grant([Role.ADMIN, Role.INSPECTOR], *(f"risk.{a}_{m}" for m in models for a in ("add", "change")))
        # Streets keep their enterprises' profiles, risk points and hidden dangers and inspect them too.
        grant(
            Role.STREET_OFFICER,
            *(f"risk.{a}_{m}" for m in ["enterpriseprofile", "riskpoint", "hiddendanger", "hazardunit", "inspection"]
              for a in ("add", "change")),
        )  # fmt: skip
        # Enterprises serve themselves: profile, risk points, self-inspection, rectification, commitments.
        grant(
            Role.ENTERPRISE_MANAGER,
            "risk.change_enterpriseprofile",
            *(
                f"risk.{a}_{m}"
                for m in ["riskpoint", "hiddendanger", "hazardunit", "commitment"]
                for a in ("add", "change")
            ),
        )
        LAYERS.update(maplayers.LAYERS)
        LAYER_INFO.update(maplayers.INFO)
        NAV.append(NavEntry(_("Dual prevention"), "risk:index", order=30))
