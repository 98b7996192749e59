from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yingji.core"
    label = "core"
    verbose_name = _("Organisations, users and audit")

    def ready(self) -> None:
        # Roles are data the code relies on: keep their groups and permissions in step after every migrate.
        post_migrate.connect(sync_roles, dispatch_uid="yingji.core.sync_roles")


def sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    """Give the roles their permissions once the last app's permissions exist (post_migrate runs app by app)."""
    from yingji.core.roles import ensure_roles

    if sender is [app for app in apps.get_app_configs() if app.models_module is not None][-1]:
        ensure_roles()
