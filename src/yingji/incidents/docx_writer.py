"""Word (.docx) rendering of a duty-desk document (`documents.Document`), set the way Chinese official documents
are: 宋体 title, 黑体 section headings, 仿宋_GB2312 body, the facts and figures as bordered tables, the issuer and
date at the foot."""

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from yingji.core.audit import audit_export
from yingji.core.inputs import xml_safe
from yingji.core.models import User
from yingji.incidents.documents import Document

MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
# Sizes by their Chinese names: 二号 22 pt for the title, 三号 16 pt for headings, 四号 14 pt body, 小四 12 pt tables.
TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT = 22, 16, 14, 12


def _fonts(element: Any, east_asia: str) -> None:  # a run's or a style's XML element (python-docx oxml)
    """Name the fonts on a run or style: Word picks the East Asian font for Chinese text from w:eastAsia."""
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(attribute), None)
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
    r_fonts.set(qn("w:eastAsia"), east_asia)


def _run(paragraph: Paragraph, text: str, *, font: str = BODY_FONT, size: int = BODY_PT, bold: bool = False) -> Run:
    run = paragraph.add_run(xml_safe(text))
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(run._element, font)
    return run


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    # A4 with the margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    _fonts(normal.element, BODY_FONT)
    heading = doc.styles["Heading 1"]
    heading.font.size = Pt(HEADING_PT)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(heading.element, HEADING_FONT)


def _table(doc: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=0, cols=len(rows[0]) if rows else len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, values in enumerate([header, *rows] if header else rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.paragraphs[0].text = ""
            lines = str(value).splitlines() or [""]
            for number, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                _run(paragraph, line, size=TABLE_PT, bold=bool(header) and index == 0)


def docx_bytes(document: Document) -> bytes:
    """The document as a .docx file."""
    doc = new_docx()
    _setup(doc)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.issuer
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, document.title, font=TITLE_FONT, size=TITLE_PT, bold=True)
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(meta, "　".join(f"{label}：{value}" for label, value in document.meta), size=TABLE_PT)
    for section in document.sections:
        heading = doc.add_paragraph(style="Heading 1")
        _run(heading, section.heading, font=HEADING_FONT, size=HEADING_PT)
        if section.facts:
            _table(doc, [], [[label, value] for label, value in section.facts])
        for text in section.paragraphs:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
            _run(paragraph, text)
        for number, text in enumerate(section.items, start=1):
            _run(doc.add_paragraph(), f"{number}. {text}")
        if section.rows:
            _table(doc, section.columns, section.rows)
    for line in (document.issuer, document.dated):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, line)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(document: Document, filename: str, *, by: User | None = None) -> HttpResponse:
    """A download of the document as `filename` (Chinese names are sent RFC 6266-encoded); audited as an export."""
    response = HttpResponse(docx_bytes(document), content_type=MIME_TYPE)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    assert disposition is not None  # always a header for an attachment
    response["Content-Disposition"] = disposition
    audit_export(actor=by, what="incidents.document", filename=filename)
    return response
