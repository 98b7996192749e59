"""三权分立: system, security and audit administrators; nobody grants themselves rights (issue 10: a user with the
admin role ticked 超级用户 on their own account)."""

import pytest

from yingji.conftest import PASSWORD
from yingji.core.errors import NotAllowed
from yingji.core.models import AuditEntry, User
from yingji.core.roles import Role, role_group, user_roles
from yingji.core.services import user_change_access, user_create


def person(username: str, org, roles: list[str], **extra) -> User:
    return user_create(by=None, username=username, password=PASSWORD, org=org, roles=roles, **extra)


@pytest.fixture
def admins(cast):
    return {
        "system": person("t_sysadmin", cast.bureau, [Role.ADMIN]),
        "security": person("t_secadmin", cast.bureau, [Role.SECURITY_ADMIN]),
        "audit": person("t_auditadmin", cast.bureau, [Role.AUDIT_ADMIN]),
    }


def change_form_data(user: User, **overrides) -> dict:
    """Everything the admin's user change form posts, as the browser would."""
    data = {
        "username": user.username,
        "org": user.org_id or "",
        "phone": user.phone,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_system_admin_cannot_make_themselves_superuser_in_the_admin(admins, client):
    me = admins["system"]
    client.force_login(me)
    response = client.post(
        f"/admin/core/user/{me.pk}/change/",
        change_form_data(me, is_superuser="on", groups=[role_group(Role.ADMIN).pk, role_group(Role.SECURITY_ADMIN).pk]),
    )
    assert response.status_code in (200, 302)
    me.refresh_from_db()
    assert not me.is_superuser
    assert user_roles(me) == [Role.ADMIN]


def test_system_admin_cannot_grant_roles_to_others(admins, cast, client):
    client.force_login(admins["system"])
    duty = cast.duty
    client.post(f"/admin/core/user/{duty.pk}/change/", change_form_data(duty, groups=[role_group(Role.ADMIN).pk]))
    duty.refresh_from_db()
    assert user_roles(duty) == [Role.DUTY_OFFICER]


def test_security_admin_grants_a_role_in_the_admin_and_it_is_audited(admins, cast, client):
    client.force_login(admins["security"])
    duty = cast.duty
    response = client.post(
        f"/admin/core/user/{duty.pk}/change/",
        change_form_data(duty, groups=[role_group(Role.DUTY_OFFICER).pk, role_group(Role.COMMANDER).pk]),
    )
    assert response.status_code == 302
    assert sorted(user_roles(duty)) == sorted([Role.DUTY_OFFICER, Role.COMMANDER])
    entry = AuditEntry.objects.filter(action="core.user.access").latest("seq")
    assert entry.actor_name == "t_secadmin"
    assert entry.payload["roles"] == [[Role.DUTY_OFFICER], sorted([Role.COMMANDER, Role.DUTY_OFFICER])]
    assert entry.payload["ip"] == "127.0.0.1"


def test_security_admin_cannot_change_their_own_rights(admins):
    me = admins["security"]
    with pytest.raises(NotAllowed):
        user_change_access(by=me, user=me, roles=[Role.SECURITY_ADMIN, Role.ADMIN])
    with pytest.raises(NotAllowed):
        user_change_access(by=me, user=me, is_superuser=True)


def test_only_a_superuser_makes_a_superuser(admins, cast):
    with pytest.raises(NotAllowed):
        user_change_access(by=admins["security"], user=cast.duty, is_superuser=True)
    user_change_access(by=cast.admin, user=cast.duty, is_superuser=True)
    cast.duty.refresh_from_db()
    assert cast.duty.is_superuser


def test_even_a_superuser_cannot_change_their_own_rights(cast):
    with pytest.raises(NotAllowed):
        user_change_access(by=cast.admin, user=cast.admin, is_superuser=False, roles=[])


def test_audit_admin_reads_the_audit_log_and_changes_nothing(admins, cast, client, api, bearer):
    client.force_login(admins["audit"])
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/loginattempt/").status_code == 200
    duty = cast.duty
    # The user list is readable, a user is not changeable.
    assert client.get("/admin/core/user/").status_code == 200
    client.post(f"/admin/core/user/{duty.pk}/change/", change_form_data(duty, first_name="改", is_active=""))
    duty.refresh_from_db()
    assert duty.first_name != "改" and duty.is_active
    assert client.get("/admin/core/orgunit/add/").status_code == 403
    with pytest.raises(NotAllowed):
        user_change_access(by=admins["audit"], user=duty, is_active=False)
    assert api.get("/api/v1/audit/verify", headers=bearer(admins["audit"])).json()["ok"] is True


def test_roles_hold_separate_rights(admins):
    system, security, audit = admins["system"], admins["security"], admins["audit"]
    assert system.has_perm("core.change_orgunit") and not system.has_perm("core.grant_role")
    assert security.has_perm("core.grant_role") and not security.has_perm("core.change_orgunit")
    assert audit.has_perm("core.view_auditentry")
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in audit.get_all_permissions())


def test_security_admin_resets_a_lost_second_factor_in_the_admin(admins, cast, client):
    from yingji.core.services import mfa_enabled
    from yingji.core.tests.test_mfa import enrol

    enrol(cast.duty)
    client.force_login(admins["system"])
    client.post("/admin/core/user/", {"action": "reset_second_factor", "_selected_action": [cast.duty.pk]})
    assert mfa_enabled(cast.duty)
    client.force_login(admins["security"])
    client.post("/admin/core/user/", {"action": "reset_second_factor", "_selected_action": [cast.duty.pk]})
    assert not mfa_enabled(cast.duty)
    assert AuditEntry.objects.filter(action="core.user.mfa_reset", actor_name="t_secadmin").exists()


def test_audit_admin_cannot_revoke_tokens_in_the_admin(admins, cast, client):
    from yingji.core.models import ApiToken
    from yingji.core.services import token_issue

    token, _raw = token_issue(user=cast.duty)
    client.force_login(admins["audit"])
    response = client.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code in (200, 302, 403)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
