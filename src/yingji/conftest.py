"""The fixed cast every permission test reuses: a small district with two streets."""

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.roles import Role
from yingji.core.services import org_create, token_issue, user_create

PASSWORD = "Correct-Horse-42"


def pytest_configure(config) -> None:
    from django.conf import settings

    # Hashing with a million PBKDF2 rounds per user would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    district: OrgUnit
    bureau: OrgUnit
    street_a: OrgUnit
    street_b: OrgUnit
    community_a: OrgUnit
    enterprise_x: OrgUnit
    enterprise_y: OrgUnit
    admin: User
    duty: User
    street_officer: User
    enterprise_manager: User
    outsider: User


@pytest.fixture
def cast(db) -> Cast:
    district = org_create(by=None, code="T420202", name="测试区", kind=OrgKind.DISTRICT, lat=30.21, lon=115.08)
    bureau = org_create(by=None, code="T-BUREAU", name="测试区应急管理局", kind=OrgKind.BUREAU, parent=district)
    street_a = org_create(by=None, code="T-A", name="甲街道", kind=OrgKind.STREET, parent=district)
    street_b = org_create(by=None, code="T-B", name="乙街道", kind=OrgKind.STREET, parent=district)
    community_a = org_create(by=None, code="T-A-1", name="甲一社区", kind=OrgKind.COMMUNITY, parent=street_a)
    enterprise_x = org_create(
        by=None,
        code="T-EX",
        name="甲化工有限公司",
        kind=OrgKind.ENTERPRISE,
        parent=street_a,
        industry="hazchem",
        lat=30.215,
        lon=115.085,
    )
    enterprise_y = org_create(
        by=None,
        code="T-EY",
        name="乙建材有限公司",
        kind=OrgKind.ENTERPRISE,
        parent=street_b,
        industry="building_materials",
        lat=30.205,
        lon=115.075,
    )

    def person(username: str, org: OrgUnit | None, roles: list[str], **extra) -> User:
        return user_create(by=None, username=username, password=PASSWORD, org=org, roles=roles, **extra)

    return Cast(
        district=district,
        bureau=bureau,
        street_a=street_a,
        street_b=street_b,
        community_a=community_a,
        enterprise_x=enterprise_x,
        enterprise_y=enterprise_y,
        admin=person("t_admin", bureau, [Role.ADMIN], is_superuser=True),
        duty=person("t_duty", bureau, [Role.DUTY_OFFICER]),
        street_officer=person("t_street", street_a, [Role.STREET_OFFICER]),
        enterprise_manager=person("t_enterprise", enterprise_x, [Role.ENTERPRISE_MANAGER]),
        outsider=person("t_outsider", None, []),
    )


@pytest.fixture
def bearer():
    """Headers that authenticate the API as a user, with a freshly issued token."""

    def headers(user: User) -> dict[str, str]:
        _token, raw = token_issue(user=user)
        return {"Authorization": f"Bearer {raw}"}

    return headers


@pytest.fixture
def api() -> Client:
    """A client for the JSON API: bearer tokens, no session."""
    return Client()


CHROMIUM = os.environ.get("YINGJI_CHROMIUM", "/usr/bin/chromium")
# The flags keep Chromium from reaching for the internet, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@contextmanager
def chromium_page(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """A headless Debian Chromium page (Playwright) with `base_url` as its base."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, so Django would refuse the test's own ORM
    # calls as "async unsafe"; they are safe, since that loop only drives the browser.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 800})
        try:
            tab = context.new_page()
            # Confirmations (publish, release, close) are accepted, and kept for tests that check they were asked.
            tab.dialogs = []
            tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.accept()))
            yield tab
        finally:
            context.close()
            browser.close()


@pytest.fixture
def page(live_server, monkeypatch):
    """A browser page on Django's live server (WSGI: everything but the live event streams)."""
    with chromium_page(live_server.url, monkeypatch) as tab:
        yield tab


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server() -> Iterator[str]:
    """The platform under uvicorn in a thread, as `yingji serve` runs it (live event streams work); its base URL.
    Use with a transactional database."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(
        "yingji.asgi:application",
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def asgi_page(asgi_server, monkeypatch):
    """A browser page on the ASGI server."""
    with chromium_page(asgi_server, monkeypatch) as tab:
        yield tab
