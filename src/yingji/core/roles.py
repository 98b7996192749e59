"""The platform's roles. Each is a Django group whose name is the role's Chinese title.

GB/T 22239-2019 (level 3) 8.1.4.2 (access control) and 8.1.10.x (centralised management) ask for separate
administrators (三权分立): the system administrator runs the platform (org tree, users' details, settings), the
security administrator grants roles and rights and handles accounts and tokens, the audit administrator reads the
audit log and changes nothing. None of them can grant themselves anything (see `core.services.user_change_access`).
"""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingji.core.models import User


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    COMMANDER = "commander", _("Commander")
    INSPECTOR = "inspector", _("Inspector")
    STREET_OFFICER = "street_officer", _("Street officer")
    ENTERPRISE_MANAGER = "enterprise_manager", _("Enterprise safety manager")
    TEAM_LEADER = "team_leader", _("Team leader")


# Group names stay fixed whatever language the interface speaks.
GROUP_NAMES: dict[str, str] = {
    Role.ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
    Role.DUTY_OFFICER: "值班员",
    Role.COMMANDER: "指挥长",
    Role.INSPECTOR: "监管执法人员",
    Role.STREET_OFFICER: "街道应急员",
    Role.ENTERPRISE_MANAGER: "企业安全管理员",
    Role.TEAM_LEADER: "队伍负责人",
}

_EVERYONE = ["core.view_orgunit", "core.view_notification"]
# Model permissions each role holds; other apps add theirs with `grant()` in their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [
        "core.view_orgunit",
        "core.add_orgunit",
        "core.change_orgunit",
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "core.view_apitoken",
        "core.change_apitoken",
        "core.view_auditentry",
        "core.view_loginattempt",
        "auth.view_group",
    ],
    Role.SECURITY_ADMIN: [
        *_EVERYONE,
        "core.view_user",
        "core.change_user",
        "core.grant_role",
        "core.view_apitoken",
        "core.change_apitoken",
        "core.view_loginattempt",
        "auth.view_group",
    ],
    # Reads, never writes: the audit log, sign-in attempts, users and tokens (to know who did what).
    Role.AUDIT_ADMIN: [
        "core.view_auditentry",
        "core.view_loginattempt",
        "core.view_user",
        "core.view_apitoken",
    ],
    Role.DUTY_OFFICER: [*_EVERYONE],
    Role.COMMANDER: [*_EVERYONE],
    Role.INSPECTOR: [*_EVERYONE],
    Role.STREET_OFFICER: [*_EVERYONE],
    Role.ENTERPRISE_MANAGER: [*_EVERYONE],
    Role.TEAM_LEADER: [*_EVERYONE],
}


def grant(roles: Sequence[str] | str, *permissions: str) -> None:
    """Give roles model permissions ("app_label.codename"); call from an AppConfig.ready()."""
    for role in [roles] if isinstance(roles, str) else roles:
        for permission in permissions:
            if permission not in ROLE_PERMISSIONS[role]:
                ROLE_PERMISSIONS[role].append(permission)


def user_has_role(user: User | AnonymousUser, *roles: str) -> bool:
    """True when the user holds any of `roles` (a superuser holds every role)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(role in user_roles(user) for role in roles)


def role_group(role: str) -> Group:
    return Group.objects.get(name=GROUP_NAMES[role])


def ensure_roles() -> None:
    """Create each role's group and give it exactly its permissions (idempotent)."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        wanted: list[Permission] = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def user_roles(user: User | AnonymousUser) -> list[str]:
    names = {g.name for g in user.groups.all()} if user.is_authenticated else set()
    return [role for role, name in GROUP_NAMES.items() if name in names]


# Roles that must sign in with a second factor.
MFA_ROLES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def mfa_required(user: User | AnonymousUser) -> bool:
    """Administrators (of any of the three kinds, and superusers) must use a second factor."""
    return bool(user.is_authenticated and (user.is_superuser or any(r in user_roles(user) for r in MFA_ROLES)))


def is_system_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or Role.ADMIN in user_roles(user)))
