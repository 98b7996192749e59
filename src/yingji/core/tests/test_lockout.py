"""Lockout by (username, address) and by address (issue 10: anyone could lock `admin` out by guessing, since the
lock was per username only)."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.models import AuditEntry
from yingji.core.services import is_locked_out

ATTACKER, OFFICE = "10.0.0.66", "10.0.0.7"


def sign_in(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_guessing_from_one_address_does_not_lock_the_account_elsewhere(cast):
    for _ in range(5):
        assert sign_in(ATTACKER, "t_duty", "wrong-password").status_code == 401
    assert is_locked_out("t_duty", ATTACKER)
    assert sign_in(ATTACKER, "t_duty", PASSWORD).status_code == 401
    # The real user at their own desk still gets in.
    assert not is_locked_out("t_duty", OFFICE)
    assert sign_in(OFFICE, "t_duty", PASSWORD).status_code == 200


def test_an_address_guessing_many_usernames_is_locked_for_all(cast, settings):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 8
    for n in range(8):
        sign_in(ATTACKER, f"guess{n}", "wrong-password")
    # No single username reached five failures, yet the address is locked, for every username.
    assert is_locked_out("t_street", ATTACKER)
    assert sign_in(ATTACKER, "t_street", PASSWORD).status_code == 401
    assert sign_in(OFFICE, "t_street", PASSWORD).status_code == 200
    assert AuditEntry.objects.filter(action="core.user.lockout_address", payload__ip=ATTACKER).exists()


def test_a_success_does_not_reset_the_address_count(cast, settings):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 6
    for n in range(3):
        sign_in(ATTACKER, f"guess{n}", "wrong-password")
    # The attacker's own account signs in fine, which must not clear their guesses.
    assert sign_in(ATTACKER, "t_outsider", PASSWORD).status_code == 200
    for n in range(3):
        sign_in(ATTACKER, f"other{n}", "wrong-password")
    assert is_locked_out("t_duty", ATTACKER)


def test_address_lock_ends_after_the_window(cast, settings):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 6
    for n in range(6):
        sign_in(ATTACKER, f"guess{n}", "wrong-password")
    assert is_locked_out("t_duty", ATTACKER)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        assert not is_locked_out("t_duty", ATTACKER)
        assert sign_in(ATTACKER, "t_duty", PASSWORD).status_code == 200


def test_failures_are_audited_with_the_source_address(cast):
    sign_in(ATTACKER, "t_duty", "wrong-password")
    entry = AuditEntry.objects.filter(action="core.user.signin_fail").latest("seq")
    assert entry.payload["username"] == "t_duty" and entry.payload["ip"] == ATTACKER


def test_forwarded_address_is_used_only_when_trusted(cast, settings):
    def via_proxy():
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}").post(
            "/api/v1/auth/token", {"username": "t_duty", "password": "x"}, content_type="application/json"
        )

    via_proxy()
    assert AuditEntry.objects.filter(action="core.user.signin_fail").latest("seq").payload["ip"] == "10.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    via_proxy()
    assert AuditEntry.objects.filter(action="core.user.signin_fail").latest("seq").payload["ip"] == ATTACKER
