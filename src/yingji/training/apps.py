from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "yingji.training"
    label = "training"
    verbose_name = _("Training, rescue base and experience hall")

    def ready(self) -> None:
        from yingji.core.nav import NAV, NavEntry
        from yingji.core.roles import Role, ensure_roles, grant

        everyone: list[str] = [r.value for r in Role]
        viewable = ["course", "trainingsession", "attendance", "certificate", "facility", "booking", "hallslot"]
        grant(everyone, *(f"training.view_{m}" for m in [*viewable, "hallbooking"]))
        # The bureau runs the courses, the base and the hall.
        staff: list[str] = [Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER]
        managed = ["course", "trainingsession", "facility", "hallslot", "question", "certificate"]
        grant(staff, *(f"training.{a}_{m}" for m in managed for a in ("add", "change")))
        grant(staff, "training.change_attendance", "training.change_hallbooking", "training.view_quizattempt")
        grant(staff, "training.view_question", "training.view_reminder")
        # Units enroll their own staff and book the base for their teams (the audit administrator changes nothing).
        bookers: list[str] = [*staff, Role.STREET_OFFICER, Role.ENTERPRISE_MANAGER, Role.TEAM_LEADER]
        grant(bookers, "training.add_attendance")
        grant(bookers, "training.add_booking", "training.change_booking")
        post_migrate.connect(lambda **kwargs: ensure_roles(), sender=self, weak=False)
        NAV.append(NavEntry(_("Training"), "training:index", order=46))
