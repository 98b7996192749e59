"""The relief workbook of an event in the usual reporting layout: a titled damage table by street (the latest
stage each) with a total row, then the relief handed out by street and material, then every distribution."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yingji.core.models import User
from yingji.relief import selectors
from yingji.relief.models import DisasterEvent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAMAGE_COLUMNS = [
    ("street", "街道"),
    ("stage", "报送阶段"),
    ("affected_people", "受灾人口（人）"),
    ("deaths", "死亡人口（人）"),
    ("missing", "失踪人口（人）"),
    ("relocated", "紧急转移安置人口（人）"),
    ("need_aid", "需紧急生活救助人口（人）"),
    ("collapsed_houses", "倒塌房屋（间）"),
    ("severely_damaged_houses", "严重损坏房屋（间）"),
    ("generally_damaged_houses", "一般损坏房屋（间）"),
    ("crop_affected_ha", "农作物受灾面积（公顷）"),
    ("crop_failed_ha", "农作物绝收面积（公顷）"),
    ("direct_loss_10k_yuan", "直接经济损失（万元）"),
]


def _title(sheet: Worksheet, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    cell = sheet.cell(row=sheet.max_row, column=1)
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center")


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    for column, _title_text in enumerate(titles, start=1):
        sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = max(12, len(_title_text) * 2)


def event_workbook(*, user: User, event: DisasterEvent) -> bytes:
    stats = selectors.event_stats(user=user, event=event)
    book = Workbook()
    damage = book.active
    assert isinstance(damage, Worksheet)  # a new workbook has one worksheet
    damage.title = "灾情统计"
    _title(damage, f"自然灾害情况统计表：{event.code} {event.name}", len(DAMAGE_COLUMNS))
    damage.append([f"灾害种类：{event.get_hazard_display()}", f"开始日期：{event.started_on:%Y-%m-%d}"])
    _header(damage, [title for _key, title in DAMAGE_COLUMNS])
    for report in stats["reports"]:
        damage.append(
            [report.org.name, str(report.get_stage_display())]
            + [
                float(getattr(report, key)) if key.endswith(("_ha", "_yuan")) else getattr(report, key)
                for key, _t in DAMAGE_COLUMNS[2:]
            ]
        )
    totals = stats["totals"]
    damage.append(
        ["合计", ""]
        + [float(totals[key]) if key.endswith(("_ha", "_yuan")) else totals[key] for key, _t in DAMAGE_COLUMNS[2:]]
    )
    damage.cell(row=damage.max_row, column=1).font = Font(bold=True)

    relief = book.create_sheet("救助物资发放汇总")
    _title(relief, f"救灾物资发放汇总表：{event.code} {event.name}", 5)
    _header(relief, ["街道", "物资", "单位", "发放数量", "受助户数"])
    for row in stats["relief"]:
        relief.append([row["street"], row["material"], row["unit"], row["quantity"], row["households"]])

    detail = book.create_sheet("发放明细")
    _header(detail, ["发放时间", "户编号", "户主", "社区", "物资", "数量", "出库仓库", "签收人", "重复发放原因"])
    for d in selectors.distribution_list(user=user, event=event.pk).order_by("distributed_at", "id"):
        detail.append(
            [
                timezone.localtime(d.distributed_at).strftime("%Y-%m-%d %H:%M"),
                d.household.code,
                d.household.head_name,
                d.org.name,
                d.material.name,
                d.quantity,
                d.warehouse.name,
                d.signed_by,
                d.override_reason,
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def event_download(*, user: User, event: DisasterEvent) -> HttpResponse:
    """The event's workbook as a download (the page and the API serve the same file)."""
    response = HttpResponse(event_workbook(user=user, event=event), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="relief-{event.pk}.xlsx"'
    return response
