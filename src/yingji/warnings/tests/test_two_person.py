"""The two-person rule: a red or orange warning is approved by someone other than its author (configurable);
and warnings authorise by permissions like every other app."""

import pytest

from yingji.conftest import PASSWORD
from yingji.core.errors import NotAllowed
from yingji.core.roles import Role, role_group
from yingji.core.services import user_create
from yingji.warnings import services
from yingji.warnings.models import Status


@pytest.mark.parametrize("level", ["red", "orange"])
def test_author_cannot_approve_their_own_red_or_orange_warning(cast, commander, draft, level):
    warning = draft(by=commander, level=level)
    with pytest.raises(NotAllowed) as err:
        services.warning_approve(by=commander, warning=warning)
    assert "起草人以外" in err.value.detail
    second = user_create(by=None, username="t_commander2", password=PASSWORD, org=cast.bureau, roles=[Role.COMMANDER])
    assert services.warning_approve(by=second, warning=warning).status == Status.APPROVED


def test_author_may_approve_their_own_yellow_warning(commander, draft):
    warning = draft(by=commander, level="yellow")
    assert services.warning_approve(by=commander, warning=warning).status == Status.APPROVED


def test_rule_levels_are_configurable(commander, draft, settings):
    settings.WARNING_TWO_PERSON_LEVELS = ["yellow"]
    with pytest.raises(NotAllowed):
        services.warning_approve(by=commander, warning=draft(by=commander, level="yellow"))
    settings.WARNING_TWO_PERSON_LEVELS = []
    assert services.warning_approve(by=commander, warning=draft(by=commander, level="red")).status == Status.APPROVED


def test_rule_applies_over_the_api(cast, commander, api, bearer, draft):
    warning = draft(by=commander, level="red")
    response = api.post(f"/api/v1/warnings/{warning.pk}/approve", headers=bearer(commander))
    assert response.status_code == 403 and "起草人以外" in response.json()["detail"]


def test_rights_follow_permissions_not_role_names(cast, draft):
    # A custom group holding the approve permission may approve: authorisation is by permission, as everywhere.
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="审批专员")
    group.permissions.add(Permission.objects.get(codename="approve_earlywarning"))
    warning = draft(level="yellow")
    # Scope is still the warnings' own business: the duty officer's draft belongs to the bureau.
    approver = user_create(by=None, username="t_approver", password=PASSWORD, org=cast.bureau, roles=[])
    approver.groups.add(group)
    approver = type(approver).objects.get(pk=approver.pk)
    assert services.warning_approve(by=approver, warning=warning).status == Status.APPROVED
    with pytest.raises(NotAllowed):
        services.warning_approve(by=cast.duty, warning=draft(level="yellow"))
    assert role_group(Role.COMMANDER).permissions.filter(codename="approve_earlywarning").exists()


def test_the_author_is_not_offered_the_approval_of_a_red_warning(cast, commander, draft, client):
    warning = draft(by=commander, level="red")
    client.force_login(commander)
    page = client.get(f"/warnings/{warning.pk}/")
    assert page.status_code == 200 and "approve" not in page.context["actions"]
    second = user_create(by=None, username="t_commander2", password=PASSWORD, org=cast.bureau, roles=[Role.COMMANDER])
    client.force_login(second)
    assert "approve" in client.get(f"/warnings/{warning.pk}/").context["actions"]
