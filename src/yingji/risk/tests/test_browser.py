"""In a real headless Chromium: an inspector records a finding, the enterprise rectifies it with a photo, the
inspector accepts and closes it, and the four-colour map and the indicators show the result."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yingji.conftest import ARTIFACTS, PASSWORD
from yingji.core.tests.test_browser import sign_in
from yingji.risk import services
from yingji.risk.models import HiddenDanger
from yingji.risk.tests.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finding_rectified_with_photo_accepted_and_closed(page, live_server, cast, inspector, profiles):
    lec = {"method": "lec", "l_value": 3, "e_value": 6, "c_value": 15}
    services.risk_point_create(by=None, org=cast.enterprise_x, name="液氯储罐区", hazard="液氯泄漏",
                               control_level="company", responsible="赵六", **lec)  # fmt: skip
    # The inspector records the finding.
    sign_in(page, inspector.username, PASSWORD)
    page.goto("/risk/dangers/new/")
    page.get_by_label("企业").select_option(str(cast.enterprise_x.pk))
    page.get_by_label("隐患名称").fill("配电箱未可靠接地")
    page.get_by_label("位置").fill("二号车间")
    page.get_by_role("button", name="保存").click()
    assert page.locator("#danger-status").inner_text() == "已登记"
    danger = HiddenDanger.objects.get(title="配电箱未可靠接地")
    page.goto("/risk/")
    row = page.locator(f"#indicators tr[data-group='{cast.street_a.name}']")
    assert row.locator(".n-open").inner_text() == "1"

    # The enterprise assigns its rectification, uploads the photo and reports it rectified (a phone-sized screen).
    enterprise = page.context.browser.new_context(base_url=live_server.url, locale="zh-CN",
                                                  viewport={"width": 390, "height": 844})  # fmt: skip
    phone = enterprise.new_page()
    sign_in(phone, cast.enterprise_manager.username, PASSWORD)
    phone.goto(f"/risk/dangers/{danger.pk}/")
    form = phone.locator("#move-assign")
    form.get_by_label("整改措施").fill("重新接地并检测")
    form.get_by_label("责任人").fill("李四")
    form.get_by_label("整改资金（元）").fill("2000")
    form.get_by_label("整改期限").fill((timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("临时安全措施").fill("停用配电箱并设警示")
    form.get_by_role("button", name="下达整改").click()
    assert phone.locator("#danger-status").inner_text() == "整改中"
    phone.locator("#photo-form input[type=file]").set_input_files(
        {"name": "after.png", "mimeType": "image/png", "buffer": PNG}
    )
    phone.locator("#photo-form select").select_option("rectified")
    phone.get_by_role("button", name="上传照片").click()
    assert phone.locator(".photos figure").count() == 1
    phone.get_by_role("button", name="报告整改完成").click()
    assert phone.locator("#danger-status").inner_text() == "已整改待验收"
    assert phone.get_by_role("button", name="验收通过").count() == 0  # not the enterprise's to verify
    enterprise.close()

    # The inspector accepts and closes it.
    page.goto(f"/risk/dangers/{danger.pk}/")
    page.locator("#move-accepted").get_by_role("button", name="验收通过").click()
    assert page.locator("#danger-status").inner_text() == "已验收"
    page.get_by_role("button", name="销号").click()
    assert page.locator("#danger-status").inner_text() == "已销号"

    # The indicators and the four-colour map show the result.
    page.goto("/risk/")
    row = page.locator(f"#indicators tr[data-group='{cast.street_a.name}']")
    assert row.locator(".n-open").inner_text() == "0" and row.locator(".n-rate").inner_text() == "100%"
    page.goto("/risk/map/")
    page.wait_for_selector("#risk-map[data-features]")
    assert page.locator("#risk-map").get_attribute("data-colours").split(",").count("orange") == 1
    assert page.locator(".map-legend").inner_text().count("风险") >= 4


def test_one_map_offers_the_four_colour_layer_with_its_legend(page, live_server, cast, inspector, profiles):
    services.risk_point_create(by=None, org=cast.enterprise_x, name="液氯储罐区", hazard="液氯泄漏", method="matrix",
                               likelihood=5, severity=5, control_level="company", responsible="赵六")  # fmt: skip
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, inspector.username, PASSWORD)
    page.goto("/resources/map/")
    page.wait_for_selector("#map[data-ready='true']")
    # Every app's registered layer has its toggle; the risk layer is off at first.
    box = page.get_by_role("checkbox", name="安全风险四色分布图")
    assert not box.is_checked()
    assert page.locator("#layer-toggles input[data-layer='incidents']").count() == 1
    assert "重大风险" not in page.locator(".map-legend:not(.base-legend)").inner_text()
    box.check()
    page.wait_for_selector("#map[data-risk-visible='true']")
    # Two located enterprises: X red (its 5 × 5 point), Y grey (not assessed); the legend gains the four colours.
    assert page.locator("#map").get_attribute("data-risk") == "2"
    fills = page.locator("path.leaflet-interactive").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    assert "#d92d20" in fills and "#98a2b3" in fills
    legend = page.locator(".map-legend:not(.base-legend)").inner_text()
    assert "重大风险" in legend and "低风险" in legend and "未评估" in legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "risk-onemap-1440.png"))
    box.uncheck()
    page.wait_for_selector("#map[data-risk-visible='false']")
    assert "#d92d20" not in page.locator("path.leaflet-interactive").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    box.check()
    page.wait_for_selector("#map[data-risk-visible='true']")
    page.screenshot(path=str(ARTIFACTS / "risk-onemap-390.png"), full_page=True)


def test_bureau_imports_enterprise_profiles_from_excel(page, live_server, cast, inspector, profiles):
    from io import BytesIO

    from openpyxl import load_workbook

    from yingji.risk.excel import ENTERPRISES, export_xlsx
    from yingji.risk.models import EnterpriseProfile
    from yingji.risk.tests.test_pages_excel import NEW_ROW

    workbook = load_workbook(BytesIO(export_xlsx(ENTERPRISES, user=cast.admin)))
    workbook.active.append(NEW_ROW)
    workbook.active.cell(row=4, column=4, value="91350100M000100Y44")  # the new row's credit code: wrong check

    def as_file(name: str) -> dict:
        out = BytesIO()
        workbook.save(out)
        return {"name": name, "mimeType": "application/octet-stream", "buffer": out.getvalue()}

    sign_in(page, inspector.username, PASSWORD)
    page.goto("/risk/enterprises/")
    page.get_by_role("link", name="从 Excel 导入").click()
    assert page.get_by_role("link", name="下载空白模板").count() == 1
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(as_file("企业.xlsx"))
    page.get_by_role("button", name="导入").click()
    # Nothing is saved; the problem is named by row and column.
    assert "第4行 统一社会信用代码" in page.locator(".import-errors").inner_text()
    assert not EnterpriseProfile.objects.filter(org__code="T-NEW").exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "risk-import-errors.png"), full_page=True)
    workbook.active.cell(row=4, column=4, value="")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(as_file("企业.xlsx"))
    page.get_by_role("button", name="导入").click()
    assert "导入完成：新增 1 条" in page.locator("body").inner_text()
    assert page.get_by_role("link", name="新企业").count() == 1
