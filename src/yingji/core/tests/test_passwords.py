"""Users change their own password under a policy (issue 10: ordinary users could not change their password)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.errors import ValidationFailed
from yingji.core.models import AuditEntry
from yingji.core.passwords import character_classes, generate_password
from yingji.core.roles import Role
from yingji.core.services import password_change, user_create

NEW = "Brand-New-Secret-7"


def change_via_api(api, headers, old: str, new: str):
    return api.post(
        "/api/v1/auth/password",
        {"old_password": old, "new_password": new},
        content_type="application/json",
        headers=headers,
    )


def test_user_changes_own_password_over_the_api(cast, api, bearer):
    headers = bearer(cast.duty)
    response = change_via_api(api, headers, PASSWORD, NEW)
    assert response.status_code == 204
    cast.duty.refresh_from_db()
    assert cast.duty.check_password(NEW) and not cast.duty.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="core.user.password_change", actor_name="t_duty").exists()


def test_wrong_current_password_is_400_on_that_field(cast, api, bearer):
    response = change_via_api(api, bearer(cast.duty), "not-it", NEW)
    assert response.status_code == 400 and "old_password" in response.json()["errors"]


@pytest.mark.parametrize("weak", ["Short-1a", "abcdefghijkl", "abcdefgh1234", "ABCDEFGH-XYZ"])
def test_policy_needs_ten_characters_of_three_classes(cast, api, bearer, weak):
    response = change_via_api(api, bearer(cast.duty), PASSWORD, weak)
    assert response.status_code == 400 and "new_password" in response.json()["errors"]


def test_character_classes():
    assert character_classes("abc") == 1
    assert character_classes("abcDEF123") == 3
    assert character_classes("aB3-") == 4
    assert all(character_classes(generate_password()) >= 3 for _ in range(200))


def test_the_last_five_passwords_cannot_be_reused(cast):
    user = cast.duty
    previous = PASSWORD
    for n in range(1, 5):
        password_change(user=user, old_password=previous, new_password=f"Rotation-{n}-Pass")
        previous = f"Rotation-{n}-Pass"
    user.refresh_from_db()
    with pytest.raises(ValidationFailed) as err:
        password_change(user=user, old_password=previous, new_password=PASSWORD)
    assert "new_password" in err.value.errors
    password_change(user=user, old_password=previous, new_password="Rotation-5-Pass")
    # Five newer passwords later, the first one may come back.
    password_change(user=user, old_password="Rotation-5-Pass", new_password=PASSWORD)


def test_password_set_by_an_administrator_must_be_changed_at_first_sign_in(cast, client):
    newcomer = user_create(
        by=cast.admin, username="t_new", password=PASSWORD, org=cast.bureau, roles=[Role.DUTY_OFFICER]
    )
    assert newcomer.password_changed_at is None
    client.post("/login/", {"username": "t_new", "password": PASSWORD})
    response = client.get("/orgs/")
    assert response.status_code == 302 and response.url == "/account/password/"
    page = client.get("/account/password/")
    assert page.status_code == 200 and 'name="new_password"' in page.content.decode()
    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password": NEW, "new_password_again": NEW}
    )
    assert response.status_code == 302
    # Still signed in after the change, and free to go on.
    assert client.get("/orgs/").status_code == 200


def test_temporary_password_gets_no_api_token(cast, api):
    user_create(by=cast.admin, username="t_new", password=PASSWORD, org=cast.bureau, roles=[Role.DUTY_OFFICER])
    response = api.post(
        "/api/v1/auth/token", {"username": "t_new", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403 and "密码" in response.json()["detail"]


def test_passwords_expire_after_the_configured_days(cast, client, settings):
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        client.force_login(cast.duty)
        assert client.get("/orgs/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client.force_login(cast.duty)
        response = client.get("/orgs/")
        assert response.status_code == 302 and response.url == "/account/password/"
        settings.PASSWORD_MAX_AGE_DAYS = 0
        assert client.get("/orgs/").status_code == 200


def test_password_page_refuses_mismatched_new_passwords(cast, client):
    client.force_login(cast.duty)
    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password": NEW, "new_password_again": NEW + "x"}
    )
    assert response.status_code == 200 and "new_password_again" in response.context["form"].errors
    cast.duty.refresh_from_db()
    assert cast.duty.check_password(PASSWORD)


def test_admin_reset_makes_the_password_temporary(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        f"/admin/core/user/{cast.duty.pk}/password/", {"password1": NEW, "password2": NEW, "usable_password": "true"}
    )
    assert response.status_code == 302
    cast.duty.refresh_from_db()
    assert cast.duty.check_password(NEW) and cast.duty.password_changed_at is None
    other = Client()
    other.force_login(cast.duty)
    assert other.get("/orgs/").url == "/account/password/"
    # An administrator cannot use the reset form on their own account (it would skip the current password).
    assert client.get(f"/admin/core/user/{cast.admin.pk}/password/").status_code == 403
