"""The second factor: TOTP (RFC 6238) with single-use recovery codes, on the sign-in page and the token endpoint;
required for administrators (issue 10: no second factor anywhere)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core import totp
from yingji.core.models import AuditEntry, RecoveryCode, TotpDevice
from yingji.core.services import mfa_enabled, totp_begin, totp_confirm

FROZEN = datetime(2026, 5, 12, 8, 30, 5, tzinfo=UTC)
RFC_KEY = b"12345678901234567890"


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_sha1_vectors(unix_time, code):
    assert totp.hotp(RFC_KEY, totp.time_step(unix_time), digits=8) == code


def test_rfc_4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(RFC_KEY, counter) for counter in range(10)] == expected


def test_codes_from_the_window_match_once():
    secret = totp.new_secret()
    now = FROZEN.timestamp()
    step = totp.matching_step(secret, totp.totp(secret, now), now)
    assert step == totp.time_step(now)
    assert totp.matching_step(secret, totp.totp(secret, now - 30), now) == step - 1
    assert totp.matching_step(secret, totp.totp(secret, now - 90), now) is None
    assert totp.matching_step(secret, totp.totp(secret, now), now, after_step=step) is None
    assert totp.matching_step(secret, "12345", now) is None


def enrol(user) -> tuple[str, list[str]]:
    device = totp_begin(user=user)
    codes = totp_confirm(user=user, code=totp.totp(device.secret, timezone.now().timestamp()))
    return device.secret, codes


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


def test_enrol_page_shows_a_qr_code_and_a_first_code_turns_it_on(cast, client, frozen):
    client.force_login(cast.duty)
    page = client.get("/account/mfa/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<main>")[1].split("</main>")[0]
    secret = TotpDevice.objects.get(user=cast.duty).secret
    assert secret in page
    wrong = client.post("/account/mfa/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 200 and not mfa_enabled(cast.duty)
    response = client.post("/account/mfa/", {"action": "confirm", "code": totp.totp(secret, FROZEN.timestamp())})
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", response.content.decode())
    assert len(codes) == 10 and mfa_enabled(cast.duty)
    # Recovery codes are stored hashed.
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()
    assert AuditEntry.objects.filter(action="auth.mfa.enrol", actor_name="t_duty").exists()


def test_sign_in_asks_for_the_code_after_the_password(cast, frozen):
    secret, _codes = enrol(cast.duty)
    frozen.shift(60)
    browser = Client()
    response = browser.post("/login/", {"username": "t_duty", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/login/otp/"
    assert "_auth_user_id" not in browser.session
    assert browser.get("/orgs/").status_code == 302  # not signed in yet
    assert browser.post("/login/otp/", {"code": "123456"}).status_code == 200
    assert "_auth_user_id" not in browser.session
    response = browser.post("/login/otp/", {"code": totp.totp(secret, timezone.now().timestamp())})
    assert response.status_code == 302 and response.url == "/"
    assert browser.get("/orgs/").status_code == 200
    entry = AuditEntry.objects.filter(action="auth.signin").latest("seq")
    assert entry.payload["method"] == "password+otp" and entry.payload["ip"] == "127.0.0.1"


def test_a_code_works_only_once(cast, frozen):
    secret, _codes = enrol(cast.duty)
    frozen.shift(60)
    code = totp.totp(secret, timezone.now().timestamp())
    first, second = Client(), Client()
    for browser in (first, second):
        browser.post("/login/", {"username": "t_duty", "password": PASSWORD})
    assert first.post("/login/otp/", {"code": code}).status_code == 302
    assert second.post("/login/otp/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_recovery_codes_work_once_each(cast, frozen):
    _secret, codes = enrol(cast.duty)
    for expected in (302, 200):
        browser = Client()
        browser.post("/login/", {"username": "t_duty", "password": PASSWORD})
        assert browser.post("/login/otp/", {"code": codes[0].lower()}).status_code == expected
    assert RecoveryCode.objects.filter(user=cast.duty, used_at__isnull=True).count() == 9
    assert AuditEntry.objects.filter(action="auth.mfa.recovery_used").count() == 1


def test_wrong_codes_count_towards_the_lockout(cast, frozen):
    secret, _codes = enrol(cast.duty)
    browser = Client()
    browser.post("/login/", {"username": "t_duty", "password": PASSWORD})
    for _ in range(5):
        browser.post("/login/otp/", {"code": "000000"})
    page = browser.post("/login/otp/", {"code": totp.totp(secret, timezone.now().timestamp())})
    assert page.status_code == 200 and "_auth_user_id" not in browser.session


def test_api_token_for_a_two_factor_user_needs_the_code(cast, api, frozen):
    secret, _codes = enrol(cast.duty)
    frozen.shift(60)

    def post(**extra):
        body = {"username": "t_duty", "password": PASSWORD, **extra}
        return api.post("/api/v1/auth/token", body, content_type="application/json")

    assert post().status_code == 401
    assert post(otp="000000").status_code == 401
    assert post(otp=totp.totp(secret, timezone.now().timestamp())).status_code == 200


def test_administrators_must_set_up_a_second_factor_before_anything_else(cast, frozen):
    browser = Client()
    response = browser.post("/login/", {"username": "t_admin", "password": PASSWORD})
    assert response.status_code == 302
    for path in ("/orgs/", "/admin/"):
        response = browser.get(path)
        assert response.status_code == 302 and response.url == "/account/mfa/"
    browser.get("/account/mfa/")
    secret = TotpDevice.objects.get(user=cast.admin).secret
    browser.post("/account/mfa/", {"action": "confirm", "code": totp.totp(secret, FROZEN.timestamp())})
    assert browser.get("/orgs/").status_code == 200
    # An administrator cannot turn it off again.
    browser.post("/account/mfa/", {"action": "remove"})
    assert mfa_enabled(cast.admin)


def test_administrator_without_a_second_factor_gets_no_api_token(cast, api):
    response = api.post(
        "/api/v1/auth/token", {"username": "t_admin", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403


def test_admin_login_goes_through_the_same_sign_in(db, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_optional_second_factor_can_be_turned_off_by_its_owner(cast, client, frozen):
    enrol(cast.duty)
    client.force_login(cast.duty)
    client.post("/account/mfa/", {"action": "remove"})
    assert not mfa_enabled(cast.duty)
