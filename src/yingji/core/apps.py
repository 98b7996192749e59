from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yingji.core"
    label = "core"
    verbose_name = _("Organisations, users and audit")

    def ready(self) -> None:
        from yingji.core.roles import ensure_roles

        # Roles are data the code relies on: keep their groups and permissions in step after every migrate.
        post_migrate.connect(lambda **kwargs: ensure_roles(), sender=self, weak=False)
