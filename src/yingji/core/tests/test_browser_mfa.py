"""In a real headless Chromium: an administrator sets up the authenticator at first sign-in, then signs in with
the password and a code; a recovery code works once."""

import re
import time

import pytest

from yingji.conftest import PASSWORD
from yingji.core import totp
from yingji.core.models import TotpDevice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    # Leave the page first: a late answer to one of its requests would set the session cookie again.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # Signed in (or on to the second step): the page has left the password form.
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/login/"))


def test_administrator_enrols_then_signs_in_with_two_factors(page, live_server, cast):
    page.set_default_timeout(60_000)  # the machine is shared: allow for a slow moment
    sign_in(page, "t_admin")
    page.wait_for_url("**/account/mfa/")
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("code.secret").inner_text().strip()
    assert secret == TotpDevice.objects.get(user=cast.admin).secret
    # Any other page sends the administrator back here until the second factor is on.
    page.goto("/orgs/")
    page.wait_for_url("**/account/mfa/")
    page.get_by_label(re.compile("动态码")).fill(totp.totp(secret, time.time()))
    page.get_by_role("button", name="开启").click()
    codes = page.locator("ul.codes code").all_inner_texts()
    assert len(codes) == 10
    page.goto("/orgs/")
    assert page.locator("h1").first.inner_text() == "组织机构"

    sign_in(page, "t_admin")
    page.wait_for_selector("input[autocomplete=one-time-code]")
    assert "/login/otp/" in page.url
    page.get_by_label(re.compile("动态码")).fill(codes[0])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert "t_admin" in page.locator(".who").inner_text()

    # The same recovery code does not work twice.
    sign_in(page, "t_admin")
    page.wait_for_selector("input[autocomplete=one-time-code]")
    assert "/login/otp/" in page.url
    page.get_by_label(re.compile("动态码")).fill(codes[0])
    page.get_by_role("button", name="登录").click()
    assert page.locator("[role=alert]").first.is_visible()
    assert "/login/otp/" in page.url
