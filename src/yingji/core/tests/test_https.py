"""`Secure` cookies and HSTS with YINGJI_HTTPS=true (issue 10: cookies were never Secure, no HSTS setting)."""

import json
import os
import subprocess
import sys

SCRIPT = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_PROXY_SSL_HEADER]))"
)


def settings_with(tmp_path, **env) -> list:
    base = {"YINGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "yingji.settings"}
    base["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env={**base, **env}, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout)


def test_https_makes_cookies_secure_and_turns_on_hsts(tmp_path):
    secure, csrf_secure, hsts, proxy = settings_with(tmp_path, YINGJI_HTTPS="true")
    assert secure and csrf_secure
    assert hsts == 31536000
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_by_default(tmp_path):
    assert settings_with(tmp_path) == [False, False, 0, None]


def test_hsts_header_on_secure_requests(db, client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    response = client.get("/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=3600"
