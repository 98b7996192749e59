"""Sign-in, sign-out, failures and exports reach the audit chain with the source address (GB/T 22239-2019
level 3, 8.1.4.3)."""

from django.test import Client

from yingji.conftest import PASSWORD
from yingji.core.models import AuditEntry

ADDRESS = "10.1.2.3"


def latest(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("seq")


def test_sign_in_and_sign_out_are_audited_with_the_address(cast):
    browser = Client(REMOTE_ADDR=ADDRESS)
    browser.post("/login/", {"username": "t_duty", "password": PASSWORD})
    entry = latest("core.user.signin")
    assert entry.actor_name == "t_duty" and entry.payload == {"ip": ADDRESS, "method": "password"}
    browser.post("/logout/")
    assert latest("core.user.signout").payload["ip"] == ADDRESS


def test_failed_sign_in_on_the_page_is_audited(cast):
    Client(REMOTE_ADDR=ADDRESS).post("/login/", {"username": "t_duty", "password": "wrong-password"})
    entry = latest("core.user.signin_fail")
    assert entry.payload["username"] == "t_duty" and entry.payload["ip"] == ADDRESS


def test_changes_made_in_a_request_carry_its_address(cast):
    browser = Client(REMOTE_ADDR=ADDRESS)
    browser.force_login(cast.duty)
    browser.post("/account/tokens/", {"name": "GIS"})
    assert latest("core.token.issue").payload["ip"] == ADDRESS


def test_exports_are_audited(cast, bearer):
    response = Client(REMOTE_ADDR=ADDRESS).get("/api/v1/teams/export", headers=bearer(cast.duty))
    assert response.status_code == 200
    entry = latest("core.export.download")
    assert entry.actor_name == "t_duty"
    assert entry.payload["what"] == "resources.teams" and entry.payload["ip"] == ADDRESS


def test_signing_out_of_the_admin_is_audited_too(cast):
    browser = Client(REMOTE_ADDR=ADDRESS)
    browser.force_login(cast.admin)
    response = browser.post("/admin/logout/")
    assert response.status_code == 302
    assert latest("core.user.signout").actor_name == "t_admin"
    assert "_auth_user_id" not in browser.session
