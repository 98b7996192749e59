"""The admin adds targets and fund entries through the services (audited) and never edits or deletes them."""

from django.test import Client

from yingji.analytics.models import BudgetLine, ControlTarget
from yingji.conftest import PASSWORD
from yingji.core.models import AuditEntry


def test_admin_adds_a_target_through_the_service(cast):
    cast.admin.is_staff = True
    cast.admin.save(update_fields=["is_staff"])
    client = Client()
    assert client.login(username=cast.admin.username, password=PASSWORD)
    response = client.post(
        "/admin/analytics/controltarget/add/",
        {"year": 2026, "indicator": "deaths", "org": cast.district.pk, "limit": 5, "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target = ControlTarget.objects.get()
    assert (target.limit, target.set_by) == (5, cast.admin)
    assert AuditEntry.objects.filter(action="analytics.controltarget.set").exists()
    page = client.get(f"/admin/analytics/controltarget/{target.pk}/change/")
    assert page.status_code == 200 and b'name="limit"' not in page.content  # read-only once saved


def test_admin_adds_a_budget_line(cast):
    cast.admin.is_staff = True
    cast.admin.save(update_fields=["is_staff"])
    client = Client()
    client.login(username=cast.admin.username, password=PASSWORD)
    response = client.post(
        "/admin/analytics/budgetline/add/",
        {"year": 2026, "code": "drills", "name": "演练", "amount_yuan": 1000, "org": cast.district.pk, "note": ""},
    )
    assert response.status_code == 302
    assert BudgetLine.objects.get().name == "演练"
