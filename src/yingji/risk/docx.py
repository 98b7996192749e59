"""Word (.docx) rendering of an enforcement document, set like a Chinese official document: the issuing
authority and title centred, the number, the addressee, the text, the deadline, the issuer and date at the foot."""

from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from yingji.risk.models import EnforcementDocument

TITLE_FONT, BODY_FONT = "宋体", "仿宋_GB2312"


def _run(paragraph: Paragraph, text: str, *, font: str = BODY_FONT, size: int = 14, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    run.font.name = font
    # Word takes the font for Chinese text from w:eastAsia.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def document_bytes(document: EnforcementDocument) -> bytes:
    """The .docx file of an enforcement document."""
    doc = Document()
    for text, size in ((document.issuer, 22), (document.get_kind_display(), 22)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, text, font=TITLE_FONT, size=size, bold=True)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, document.number)
    _run(doc.add_paragraph(), f"{document.org.name}：")
    for line in document.body.splitlines() or [""]:
        _run(doc.add_paragraph(), line)
    if document.deadline:
        _run(doc.add_paragraph(), f"整改期限：{document.deadline:%Y年%m月%d日}前")
    for text in (document.issuer, f"{timezone.localtime(document.issued_at):%Y年%m月%d日}"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, text)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
