"""The monthly and annual safety-production and emergency-management reports (安全生产和应急管理月报/年报) as an
Excel workbook (figures, year-on-year formulas and a chart) and a PDF with its Chinese font embedded.

Built by the worker from the same statistics as the API (`stats.compute`), for the report's area: the district,
or a street's subtree when a street officer asked. Always in Chinese, whatever language the requester's screen
speaks: the report is an official document.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from yingji.analytics import excel
from yingji.analytics.filters import StatFilters, period_bounds
from yingji.analytics.models import Report, ReportKind
from yingji.analytics.presentation import SHARES
from yingji.analytics.stats import DIMENSIONS, STATS, Result, compute
from yingji.core.models import OrgKind

Progress = Callable[[int, str], None]

# fontTools logs every glyph of every subset at INFO: keep the worker's log readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class ReportFontMissing(RuntimeError):
    """The Chinese font the PDF embeds is not installed."""


@dataclass(frozen=True)
class ReportFiles:
    xlsx: bytes
    pdf: bytes
    xlsx_name: str
    pdf_name: str


def font_path() -> Path:
    """The Chinese font file for PDFs (settings.REPORT_FONT, from YINGJI_REPORT_FONT: by default the WenQuanYi
    Micro Hei of Debian's fonts-wqy-microhei package, Apache 2.0 or GPLv3 with font exception, loaded from the
    system rather than shipped); ReportFontMissing naming what to install or set when it is absent."""
    path = Path(settings.REPORT_FONT)
    if not path.is_file():
        raise ReportFontMissing(
            f"PDF reports need a Chinese font: {path} is missing. Install Debian's fonts-wqy-microhei package "
            "(apt-get install fonts-wqy-microhei) or set YINGJI_REPORT_FONT to a TrueType font file with Chinese."
        )
    return path


def report_filters(report: Report) -> StatFilters:
    """The statistics' filters of a report: its period, narrowed to its area when that is not the district."""
    start, end = period_bounds(report.kind, report.period)
    end = min(end, timezone.localdate())
    if report.org.kind == OrgKind.DISTRICT:
        return StatFilters(date_from=start, date_to=end)
    return StatFilters(date_from=start, date_to=end, street=report.org_id, street_path=report.org.path)


SECTIONS: list[tuple[str, int]] = [
    ("incidents", 12),
    ("warnings", 18),
    ("alarms", 24),
    ("alarm-quality", 32),
    ("dispatches", 37),
    ("resources", 41),
    ("funds", 45),
    ("hidden-dangers", 48),
    ("risk-points", 51),
    ("inspections", 54),
    ("plans", 57),
    ("drills", 60),
    ("relief", 63),
    ("training", 66),
]
# The statistics of the later domain apps: one sheet and one PDF section each, written from their results alone.
DOMAIN_SECTIONS = ["hidden-dangers", "risk-points", "inspections", "plans", "drills", "relief", "training"]


def report_data(report: Report, progress: Progress) -> dict[str, Result]:
    """Every statistic the report shows, for the platform (the report's area is in the filters)."""
    filters = report_filters(report)
    data: dict[str, Result] = {}
    for name, percent in SECTIONS:
        data[name] = compute(name, user=None, filters=filters)
        progress(percent, name)
    # The chart: the months of the year up to the period's end, against the year before.
    year_to_date = replace(filters, date_from=date(filters.date_to.year, 1, 1))
    data["trend"] = compute("incidents", user=None, filters=year_to_date)
    progress(68, "trend")
    return data


def title_of(report: Report) -> str:
    if report.kind == ReportKind.MONTHLY:
        year, month = report.period.split("-")
        return f"{report.org.name}安全生产和应急管理月报（{year}年{int(month)}月）"
    return f"{report.org.name}安全生产和应急管理年报（{report.period}年）"


def summary_rows(data: dict[str, Result]) -> list[tuple[str, Any, Any]]:
    """(figure, this period, same period last year) for the summary of both files."""
    incidents, warnings, alarms, dispatches = data["incidents"], data["warnings"], data["alarms"], data["dispatches"]
    rows = [
        (_("Number of accidents"), incidents, "count"),
        (_("Deaths"), incidents, "deaths"),
        (_("Serious injuries"), incidents, "serious_injuries"),
        (_("Direct economic loss (yuan)"), incidents, "direct_loss_yuan"),
        (_("Early warnings issued"), warnings, "count"),
        (_("Monitoring alarms"), alarms, "count"),
        (_("Dispatch orders"), dispatches, "count"),
        (_("Median time to first dispatch (s)"), dispatches, "to_dispatch_median_s"),
        (_("Median time from dispatch to arrival (s)"), dispatches, "to_arrival_median_s"),
        (_("Hidden dangers found"), data["hidden-dangers"], "found"),
        (_("Hidden dangers overdue now"), data["hidden-dangers"], "overdue"),
        (_("Drills held"), data["drills"], "drills_held"),
        (_("Households given relief"), data["relief"], "households_served"),
        (_("Trainees"), data["training"], "trainees"),
    ]
    return [(name, result.get(key), result.get("previous", {}).get(key)) for name, result, key in rows]


def build_report(report: Report, progress: Progress) -> ReportFiles:
    """Compute the figures and write both files; `progress(percent, stage)` is called as it goes."""
    font = font_path()  # fail before the work when the PDF cannot be written
    with translation.override("zh-hans"):
        progress(5, "start")
        data = report_data(report, progress)
        progress(70, "excel")
        xlsx = report_xlsx(report, data)
        progress(85, "pdf")
        pdf = report_pdf(report, data, font)
        progress(98, "saving")
    stem = f"report-{report.kind}-{report.period}-{report.org.code}"
    return ReportFiles(xlsx=xlsx, pdf=pdf, xlsx_name=f"{stem}.xlsx", pdf_name=f"{stem}.pdf")


# ---- Excel -------------------------------------------------------------------------------------------------


def report_xlsx(report: Report, data: dict[str, Result]) -> bytes:
    """The workbook: a summary with year-on-year formulas, one sheet per area of work, a chart of the months."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = pgettext("report sheet", "Summary")
    excel.put(sheet, 1, 1, title_of(report)).font = Font(bold=True, size=14)
    filters, period, generated = report_filters(report), _("Period"), _("Generated")
    sheet.cell(row=2, column=1, value=f"{period}：{filters.date_from} – {filters.date_to}")
    sheet.cell(row=3, column=1, value=f"{generated}：{timezone.localtime():%Y-%m-%d %H:%M}")
    excel.header(
        sheet, 5, [_("Figure"), _("This period"), _("Same period last year"), pgettext("year on year", "Change")]
    )
    for row, (name, current, previous) in enumerate(summary_rows(data), start=6):
        excel.put(sheet, row, 1, name)
        sheet.cell(row=row, column=2, value=current)
        sheet.cell(row=row, column=3, value=previous)
        sheet.cell(row=row, column=4, value=excel.change_formula(row)).number_format = "0.0%"
    excel.widths(sheet)

    incidents = data["incidents"]
    tab = book.create_sheet(pgettext("report sheet", "Accidents"))
    row = excel.write_breakdown(tab, "by_grade", incidents["by_grade"], incidents["previous"]["by_grade"])
    row = excel.write_breakdown(tab, "by_category", incidents["by_category"], incidents["previous"]["by_category"], row)
    if incidents["targets"]:
        excel.header(tab, row, [_("Control targets"), _("Limit"), _("Actual"), _("Share used")])
        for target in incidents["targets"]:
            row += 1
            tab.cell(row=row, column=1, value=target["label"])
            tab.cell(row=row, column=2, value=target["limit"])
            tab.cell(row=row, column=3, value=target["actual"])
            tab.cell(row=row, column=4, value=f'=IF(B{row}=0,"",C{row}/B{row})').number_format = "0.0%"
        row += 2
    trend = data["trend"]
    excel.header(tab, row, [_("Month"), _("This year"), _("Last year")])
    first = row + 1
    for offset, (month, count) in enumerate(trend["by_month"].items(), start=1):
        previous = list(trend["previous"]["by_month"].values())
        tab.cell(row=row + offset, column=1, value=month)
        tab.cell(row=row + offset, column=2, value=count)
        tab.cell(row=row + offset, column=3, value=previous[offset - 1] if offset - 1 < len(previous) else 0)
    last = row + len(trend["by_month"])
    chart = BarChart()
    chart.title = _("Accidents by month, against last year")
    chart.y_axis.title = _("Count")
    chart.add_data(Reference(tab, min_col=2, max_col=3, min_row=row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(tab, min_col=1, min_row=first, max_row=last))
    chart.width, chart.height = 18, 8
    tab.add_chart(chart, f"F{first}")
    excel.widths(tab)

    warnings = data["warnings"]
    tab = book.create_sheet(pgettext("report sheet", "Warnings"))
    row = excel.write_breakdown(tab, "by_level", warnings["by_level"], warnings["previous"]["by_level"])
    excel.write_breakdown(tab, "by_event_type", warnings["by_event_type"], warnings["previous"]["by_event_type"], row)
    excel.widths(tab)

    alarms, quality = data["alarms"], data["alarm-quality"]
    tab = book.create_sheet(pgettext("report sheet", "Alarms"))
    row = excel.write_breakdown(tab, "by_level", alarms["by_level"], alarms["previous"]["by_level"])
    row = excel.write_scalars(tab, quality, None, row)
    tab.cell(row=row, column=1, value=_("Rules nobody acts on")).font = excel.BOLD
    row = excel.write_rows(tab, quality["most_unacted_rules"], row + 1)
    tab.cell(row=row, column=1, value=_("Suggested thresholds")).font = excel.BOLD
    excel.write_rows(tab, quality["suggestions"], row + 1)
    excel.widths(tab)

    tab = book.create_sheet(pgettext("report sheet", "Dispatch"))
    excel.write_scalars(tab, data["dispatches"], data["dispatches"]["previous"])
    excel.widths(tab)

    resources = data["resources"]
    tab = book.create_sheet(pgettext("report sheet", "Resources"))
    row = excel.write_scalars(tab, resources, None)
    row = excel.write_breakdown(tab, "teams", resources["teams"], None, row)
    excel.write_rows(tab, resources["below_minimum"], row)
    excel.widths(tab)

    funds_sheet(book, data["funds"])
    for name in DOMAIN_SECTIONS:
        excel.write_stat(book.create_sheet(excel.safe_title(str(STATS[name].label))), data[name])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def funds_sheet(book: Workbook, funds: Result) -> None:
    """Budget lines with the remaining money and the totals as formulas, then spending by project and awards."""
    tab = book.create_sheet(pgettext("report sheet", "Special funds"))
    titles = [_("Budget line"), _("Year"), _("Budget (yuan)"), _("Committed (yuan)"), _("Spent (yuan)")]
    excel.header(tab, 1, [*titles, _("Awards (yuan)"), _("Remaining (yuan)"), _("Execution rate")])
    row = 1
    for line in funds["lines"]:
        row += 1
        excel.put(tab, row, 1, line["name"])
        tab.cell(row=row, column=2, value=line["year"])
        tab.cell(row=row, column=3, value=line["budget_yuan"])
        tab.cell(row=row, column=4, value=line["committed_yuan"])
        tab.cell(row=row, column=5, value=line["spent_yuan"])
        tab.cell(row=row, column=6, value=line["awards_yuan"])
        tab.cell(row=row, column=7, value=f"=C{row}-E{row}-F{row}")
        tab.cell(row=row, column=8, value=f'=IF(C{row}=0,"",(E{row}+F{row})/C{row})').number_format = "0.0%"
    total = row + 1
    tab.cell(row=total, column=1, value=_("Total")).font = excel.BOLD
    for col in "CDEFG":
        tab[f"{col}{total}"] = f"=SUM({col}2:{col}{max(row, 2)})" if row >= 2 else 0
        tab[f"{col}{total}"].font = excel.BOLD
    tab[f"H{total}"] = f'=IF(C{total}=0,"",(E{total}+F{total})/C{total})'
    tab[f"H{total}"].number_format = "0.0%"
    row = excel.write_rows(tab, funds["by_project"], total + 2)
    excel.write_rows(tab, funds["awards"], row)
    excel.widths(tab)


# ---- PDF ---------------------------------------------------------------------------------------------------


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 8, f"{self.page_no()} / {{nb}}", align="C")


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _change(current: Any, previous: Any) -> str:
    if not isinstance(current, int | float) or not isinstance(previous, int | float) or not previous:
        return "—"
    return f"{(current - previous) / previous:+.1%}"


def _table(pdf: FPDF, head: list[str], rows: list[list[Any]], widths: tuple[int, ...] | None = None) -> None:
    pdf.set_font("cjk", size=9)
    style = FontFace(emphasis="NONE", fill_color=(221, 231, 243))
    with pdf.table(col_widths=widths, headings_style=style, line_height=6, text_align="LEFT") as table:
        for cells in [head, *rows]:
            line = table.row()
            for value in cells:
                line.cell(_fmt(value))
    pdf.ln(3)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("cjk", size=13)
    pdf.ln(2)
    pdf.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")


def _breakdown(pdf: FPDF, dimension: str, values: dict[str, Any], previous: dict[str, Any] | None) -> None:
    labels = DIMENSIONS.get(dimension, {})
    head = [excel.label(dimension), _("This period")] + (
        [_("Same period last year"), pgettext("year on year", "Change")] if previous else []
    )
    rows = []
    for key, value in values.items():
        row = [str(labels.get(key, key)), value]
        if previous is not None:
            row += [previous.get(key, 0), _change(value, previous.get(key, 0))]
        rows.append(row)
    _table(pdf, head, rows)


def _bar_chart(pdf: FPDF, title: str, current: dict[str, int], previous: dict[str, int]) -> None:
    """Bars of this year's and last year's figure per month, drawn on the page."""
    x0, width, height = pdf.l_margin + 10, pdf.epw - 14, 55
    if pdf.will_page_break(height + 20):
        pdf.add_page()
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    y0 = pdf.get_y() + 2
    months, before = list(current.items()), list(previous.values())
    top = max([1, *current.values(), *before])
    pdf.set_draw_color(120, 120, 120)
    pdf.line(x0, y0 + height, x0 + width, y0 + height)
    pdf.line(x0, y0, x0, y0 + height)
    pdf.set_font("cjk", size=7)
    pdf.text(pdf.l_margin, y0 + 3, str(top))
    pdf.text(pdf.l_margin, y0 + height, "0")
    slot = width / max(len(months), 1)
    bar = slot * 0.35
    for i, (month, value) in enumerate(months):
        x = x0 + i * slot + slot * 0.12
        last = before[i] if i < len(before) else 0
        for offset, figure, colour in ((0, last, (160, 174, 192)), (bar, value, (180, 35, 24))):
            h = height * figure / top
            pdf.set_fill_color(*colour)
            if h > 0:
                pdf.rect(x + offset, y0 + height - h, bar, h, style="F")
        pdf.text(x, y0 + height + 4, month[5:] if len(months) > 1 else month)
    legend_y = y0 + height + 9
    for i, (text, colour) in enumerate(((_("Last year"), (160, 174, 192)), (_("This year"), (180, 35, 24)))):
        pdf.set_fill_color(*colour)
        pdf.rect(x0 + i * 35, legend_y - 2.5, 3, 3, style="F")
        pdf.text(x0 + i * 35 + 5, legend_y, text)
    pdf.set_y(legend_y + 4)


def report_pdf(report: Report, data: dict[str, Result], font: Path) -> bytes:
    """The report as a PDF: summary, accidents (with the chart), warnings and alarms, alarm quality, dispatch,
    resources and special funds."""
    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("cjk", "", str(font), collection_font_number=0)
    pdf.set_title(title_of(report))
    pdf.set_creator("Yingji")
    pdf.add_page()
    pdf.set_font("cjk", size=17)
    pdf.multi_cell(0, 10, title_of(report), align="C", new_x="LMARGIN", new_y="NEXT")
    filters = report_filters(report)
    pdf.set_font("cjk", size=9)
    requested = report.requested_by.get_username() if report.requested_by else _("monthly schedule")
    period, requested_by, generated = _("Period"), _("Requested by"), _("Generated")
    pdf.cell(
        0,
        6,
        f"{period}：{filters.date_from} – {filters.date_to}    {requested_by}：{requested}    "
        f"{generated}：{timezone.localtime():%Y-%m-%d %H:%M}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _heading(pdf, _("1. Summary"))
    rows = [[name, current, previous, _change(current, previous)] for name, current, previous in summary_rows(data)]
    _table(
        pdf,
        [_("Figure"), _("This period"), _("Same period last year"), pgettext("year on year", "Change")],
        rows,
        (70, 35, 45, 30),
    )

    incidents = data["incidents"]
    _heading(pdf, _("2. Accidents and incidents"))
    _breakdown(pdf, "by_grade", incidents["by_grade"], incidents["previous"]["by_grade"])
    _breakdown(pdf, "by_category", incidents["by_category"], incidents["previous"]["by_category"])
    if incidents["targets"]:
        _table(
            pdf,
            [_("Control targets"), _("Limit"), _("Actual"), _("Share used")],
            [[t["label"], t["limit"], t["actual"], f"{t['used_share']:.1%}"] for t in incidents["targets"]],
        )
    trend = data["trend"]
    _bar_chart(pdf, _("Accidents by month, against last year"), trend["by_month"], trend["previous"]["by_month"])

    _heading(pdf, _("3. Early warnings and alarms"))
    _breakdown(pdf, "by_level", data["warnings"]["by_level"], data["warnings"]["previous"]["by_level"])
    _breakdown(pdf, "by_level", data["alarms"]["by_level"], data["alarms"]["previous"]["by_level"])

    quality = data["alarm-quality"]
    _heading(pdf, _("4. Alarm quality"))
    _table(
        pdf,
        [_("Alarms"), _("Share likely false"), _("Flaps"), _("Nobody acted")],
        [[quality["alarms"], _share(quality["likely_false_share"]), quality["flaps"], quality["unacted"]]],
    )
    if quality["most_unacted_rules"]:
        _table(
            pdf,
            [_("Rule"), _("Alarms"), _("Nobody acted"), _("Share likely false")],
            [
                [r["name"], r["alarms"], r["unacted"], _share(r["likely_false_share"])]
                for r in quality["most_unacted_rules"]
            ],
            (80, 30, 30, 40),
        )
    if quality["suggestions"]:
        _table(
            pdf,
            [_("Rule"), _("Current limit"), _("Suggested limit"), _("False alarms avoided")],
            [[s["name"], s["current"], s["suggested"], s["false_avoided"]] for s in quality["suggestions"]],
            (80, 30, 30, 40),
        )

    dispatches = data["dispatches"]
    _heading(pdf, _("5. Dispatch and response"))
    _table(
        pdf,
        [_("Figure"), _("This period"), _("Same period last year")],
        [
            [excel.label(key), dispatches.get(key), dispatches["previous"].get(key)]
            for key in ("count", "incidents_dispatched", "to_dispatch_median_s", "to_arrival_median_s")
        ],
        (80, 50, 50),
    )

    resources = data["resources"]
    _heading(pdf, _("6. Resources"))
    _breakdown(pdf, "teams", resources["teams"], None)
    _table(
        pdf,
        [_("Figure"), _("Value")],
        [
            [excel.label(key), resources[key]]
            for key in ("team_headcount_standby", "team_headcount_deployed", "stock_below_minimum", "lots_expired")
        ]
        + [[excel.label("lots_expiring"), resources["lots_expiring"]]],
        (120, 60),
    )

    funds = data["funds"]
    _heading(pdf, _("7. Special funds"))
    _table(
        pdf,
        [_("Budget line"), _("Budget (yuan)"), _("Committed (yuan)"), _("Spent (yuan)"), _("Remaining (yuan)")],
        [
            [line["name"], line["budget_yuan"], line["committed_yuan"], line["spent_yuan"], line["remaining_yuan"]]
            for line in funds["lines"]
        ]
        + [[_("Total"), funds["budget_yuan"], funds["committed_yuan"], funds["spent_yuan"], funds["remaining_yuan"]]],
        (60, 30, 30, 30, 30),
    )
    pdf.set_font("cjk", size=9)
    awards = _("Awards (yuan)")
    pdf.cell(0, 6, f"{awards}：{_fmt(funds['awards_yuan'])}", new_x="LMARGIN", new_y="NEXT")

    for number, name in enumerate(DOMAIN_SECTIONS, start=8):
        _heading(pdf, f"{number}. {STATS[name].label}")
        _stat_section(pdf, data[name])
    return bytes(pdf.output())


def _stat_section(pdf: FPDF, result: Result) -> None:
    """Any statistic's result: its figures (against last year where it compares), its breakdowns, its tables."""
    previous = result.get("previous")
    head = [_("Figure"), _("This period")] + ([_("Same period last year"), pgettext("year on year", "Change")]
                                              if previous else [])  # fmt: skip
    rows = []
    for key, value in result.items():
        if key == "previous" or not excel.is_scalar(value):
            continue
        shown = _share(value) if key.endswith(SHARES) and isinstance(value, float) else value
        row = [excel.label(key), shown]
        if previous is not None:
            before = previous.get(key)
            shown_before = _share(before) if key.endswith(SHARES) and isinstance(before, float) else before
            row += [shown_before, _change(value, before)]
        rows.append(row)
    _table(pdf, head, rows, (70, 35, 45, 30) if previous else (120, 60))
    for key, value in result.items():
        if key in ("previous", "by_month") or excel.is_scalar(value):
            continue
        if isinstance(value, dict):
            _breakdown(pdf, key, value, previous.get(key, {}) if previous else None)
        elif isinstance(value, list) and value:
            keys = [k for k, v in value[0].items() if excel.is_scalar(v)]
            _table(pdf, [excel.label(k) for k in keys], [[record.get(k) for k in keys] for record in value])


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
