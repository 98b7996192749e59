from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.models import ApiToken, LoginAttempt
from yingji.core.services import is_locked_out


def post_token(api, username: str, password: str):
    return api.post("/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json")


def test_token_is_issued_for_good_credentials_and_works(cast, api):
    response = post_token(api, "t_duty", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("yj_")
    # Only the hash is stored.
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert api.get("/api/v1/orgs", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_bad_credentials_get_401(cast, api):
    assert post_token(api, "t_duty", "wrong-password").status_code == 401
    assert post_token(api, "nobody", PASSWORD).status_code == 401
    assert api.get("/api/v1/orgs", headers={"Authorization": "Bearer yj_made_up"}).status_code == 401


def test_missing_field_is_400_naming_it(db, api):
    response = api.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["此项为必填项。"]}


def test_owner_lists_and_revokes_own_token(cast, api):
    token = post_token(api, "t_duty", PASSWORD).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    listed = api.get("/api/v1/auth/tokens", headers=headers).json()
    assert [t["id"] for t in listed["items"]] == [token["id"]]
    response = api.delete(f"/api/v1/auth/tokens/{token['id']}", headers=headers)
    assert response.status_code == 200 and response.json()["revoked_at"] is not None
    assert api.get("/api/v1/orgs", headers=headers).status_code == 401


def test_others_cannot_see_or_revoke_a_token_but_admin_can(cast, api, bearer):
    token = post_token(api, "t_duty", PASSWORD).json()
    other = bearer(cast.street_officer)
    assert token["id"] not in [t["id"] for t in api.get("/api/v1/auth/tokens", headers=other).json()["items"]]
    assert api.delete(f"/api/v1/auth/tokens/{token['id']}", headers=other).status_code == 404
    admin = bearer(cast.admin)
    assert token["id"] in [t["id"] for t in api.get("/api/v1/auth/tokens", headers=admin).json()["items"]]
    assert api.delete(f"/api/v1/auth/tokens/{token['id']}", headers=admin).status_code == 200
    assert ApiToken.objects.get(pk=token["id"]).revoked_at is not None


def test_five_failures_lock_the_account_even_for_the_right_password(cast, api):
    for _ in range(5):
        assert post_token(api, "t_duty", "wrong-password").status_code == 401
    assert is_locked_out("t_duty", "127.0.0.1")
    response = post_token(api, "t_duty", PASSWORD)
    assert response.status_code == 401
    assert "锁定" in response.json()["detail"]


def test_lockout_ends_after_fifteen_minutes(cast, api):
    for _ in range(5):
        post_token(api, "t_duty", "wrong-password")
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        assert not is_locked_out("t_duty", "127.0.0.1")
        assert post_token(api, "t_duty", PASSWORD).status_code == 200


def test_four_failures_then_success_resets_the_count(cast, api):
    for _ in range(4):
        post_token(api, "t_duty", "wrong-password")
    assert post_token(api, "t_duty", PASSWORD).status_code == 200
    post_token(api, "t_duty", "wrong-password")
    assert not is_locked_out("t_duty", "127.0.0.1")
    assert LoginAttempt.objects.filter(username="t_duty", succeeded=False).count() == 5


def test_login_page_says_the_account_is_locked(cast, client):
    for _ in range(5):
        client.post("/login/", {"username": "t_duty", "password": "wrong-password"})
    page = client.post("/login/", {"username": "t_duty", "password": PASSWORD})
    assert page.status_code == 200
    assert "锁定" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_is_chinese_and_signs_in(cast, client):
    page = client.get("/login/")
    assert "登录" in page.content.decode()
    response = client.post("/login/", {"username": "t_duty", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"


def test_pages_need_sign_in(db, client):
    response = client.get("/orgs/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_session_expires_after_thirty_idle_minutes(cast, client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.post("/login/", {"username": "t_duty", "password": PASSWORD})
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get("/orgs/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        assert client.get("/orgs/").status_code == 302


@pytest.mark.parametrize("password", ["short", "12345678901", "password123"])
def test_weak_passwords_are_refused(cast, password):
    from yingji.core.errors import ValidationFailed
    from yingji.core.services import user_create

    with pytest.raises(ValidationFailed) as err:
        user_create(by=None, username="weak", password=password, org=cast.bureau, roles=[])
    assert "password" in err.value.errors


def test_token_page_issues_and_revokes(cast, client):
    client.force_login(cast.duty)
    page = client.post("/account/tokens/", {"name": "GIS"}).content.decode()
    token = ApiToken.objects.get(user=cast.duty)
    assert token.prefix in page
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
