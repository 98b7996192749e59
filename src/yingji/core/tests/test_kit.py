"""The core kit: scoped access, commands, transitions, the page helper and registries declared once."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.forms import CharField, Form
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from yingji.core.access import get_scoped_or_404, org_in_scope, resolve_in_scope, under
from yingji.core.commands import Transitions, apply_changes, clean_or_fail, require_perm
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.inputs import MAX_ID
from yingji.core.models import AuditEntry, OrgUnit
from yingji.core.web import page_of, run_service

pytestmark = pytest.mark.django_db


def test_get_scoped_or_404_treats_not_yours_like_missing(cast):
    assert get_scoped_or_404(OrgUnit, cast.street_officer, cast.community_a.pk) == cast.community_a
    for pk in (cast.street_b.pk, 10**9, MAX_ID + 1, "abc", -1):
        with pytest.raises(Http404):
            get_scoped_or_404(OrgUnit, cast.street_officer, pk)


def test_payload_ids_resolve_inside_the_scope_or_name_the_field(cast):
    assert org_in_scope(cast.street_officer, cast.enterprise_x.pk) == cast.enterprise_x
    assert org_in_scope(cast.street_officer, None) is None
    with pytest.raises(ValidationFailed) as outside:
        org_in_scope(cast.street_officer, cast.enterprise_y.pk, field="enterprise")
    with pytest.raises(ValidationFailed) as missing:
        resolve_in_scope(OrgUnit, cast.street_officer, 2**63, field="enterprise")
    # Missing and not yours read the same.
    assert outside.value.errors == missing.value.errors
    assert list(outside.value.errors) == ["enterprise"]
    with pytest.raises(ValidationFailed) as required:
        org_in_scope(cast.street_officer, None, field="org", required=True)
    assert list(required.value.errors) == ["org"]
    # The platform itself (no user) sees everything.
    assert org_in_scope(None, cast.enterprise_y) == cast.enterprise_y


def test_under_filters_a_subtree_and_ignores_units_outside_the_scope(cast):
    units = OrgUnit.objects.all()
    assert set(under(units, cast.admin, cast.street_a.pk)) == {cast.street_a, cast.community_a, cast.enterprise_x}
    assert list(under(units, cast.street_officer, cast.street_b.pk)) == []
    assert under(units, cast.admin, None).count() == units.count()


def test_require_perm_lets_the_platform_through_and_refuses_a_role_without_it(cast):
    require_perm(None, "core.add_orgunit")
    require_perm(cast.admin, "core.add_orgunit")
    with pytest.raises(NotAllowed):
        require_perm(cast.street_officer, "core.add_orgunit")


def test_clean_or_fail_names_the_field_and_never_the_constraint(cast):
    unit = OrgUnit(code="", name="x", kind="street", lat=95, lon=115)
    with pytest.raises(ValidationFailed) as caught:
        clean_or_fail(unit)
    assert "code" in caught.value.errors
    messages = [m for ms in caught.value.errors.values() for m in ms]
    assert not any("valid_coordinates" in m for m in messages)


def test_apply_changes_saves_and_audits_only_the_diff(cast):
    before = AuditEntry.objects.count()
    unit, diff = apply_changes(
        by=cast.admin,
        instance=cast.community_a,
        changes={"name": "新名", "phone": ""},
        fields=("name", "phone"),
        action="core.org.update",
    )
    assert diff == {"name": ["甲一社区", "新名"]}
    assert OrgUnit.objects.get(pk=unit.pk).name == "新名"
    entry = AuditEntry.objects.latest("seq")
    assert AuditEntry.objects.count() == before + 1 and entry.payload == {"changes": {"name": ["甲一社区", "新名"]}}
    _unit, nothing = apply_changes(
        by=cast.admin, instance=unit, changes={"name": "新名"}, fields=("name",), action="core.org.update"
    )
    assert nothing == {} and AuditEntry.objects.count() == before + 1
    with pytest.raises(ValidationFailed) as caught:
        apply_changes(by=cast.admin, instance=unit, changes={"path": "x"}, fields=("name",), action="core.org.update")
    assert list(caught.value.errors) == ["path"]


def test_transitions_name_the_allowed_moves():
    flow = Transitions({"draft": ("review",), "review": ("approved", "draft"), "approved": ()})
    flow.check("draft", "review")
    assert flow.allowed("review") == ("approved", "draft")
    with translation.override("en"), pytest.raises(Conflict) as caught:
        flow.check("review", "filed")
    assert caught.value.detail == "cannot go from review to filed; allowed: approved, draft"
    assert caught.value.errors == {"status": [caught.value.detail]}
    assert caught.value.extra == {"allowed": ["approved", "draft"]}
    with translation.override("en"), pytest.raises(Conflict, match="allowed: none"):
        flow.check("approved", "draft")
    with translation.override("zh-hans"), pytest.raises(Conflict) as chinese:
        flow.check("review", "filed")
    assert "允许" in chinese.value.detail and "approved, draft" in chinese.value.detail


class NameForm(Form):
    name = CharField()


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_run_service_puts_errors_on_the_form_or_in_messages(cast):
    request = _request(cast.admin)
    form = NameForm({"name": "x"})
    assert form.is_valid()

    def refuse_name():
        raise ValidationFailed("bad", {"name": ["太短"]})

    outcome = run_service(request, form, refuse_name)
    assert not outcome and form.errors["name"] == ["太短"]
    assert run_service(request, None, lambda: 42).value == 42

    def refuse_state():
        raise Conflict("cannot go from a to b; allowed: none")

    assert not run_service(request, None, refuse_state)
    assert [str(m) for m in request._messages] == ["cannot go from a to b; allowed: none"]

    def forbid():
        raise NotAllowed("no")

    with pytest.raises(PermissionDenied):
        run_service(request, None, forbid)


def test_page_of_keeps_the_filters_and_survives_huge_page_numbers(cast):
    request = RequestFactory().get("/", {"q": "甲", "page": str(2**70)})
    page, query = page_of(request, OrgUnit.objects.order_by("pk"), per_page=2)
    assert page.number == page.paginator.num_pages
    assert query == "q=%E7%94%B2"
