"""Reading an existing .docx plan: its headings mapped to the parts of GB/T 29639-2020, organisation lines to roles
and level lines to triggers, as a draft for the author to finish."""

import io
import re
from dataclasses import dataclass, field
from typing import Any

from yingji.core.errors import ValidationFailed
from yingji.plans.models import SectionPart

# First match wins: "响应分级" is about levels, not the response itself; "信息报告" before "响应".
PART_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SectionPart.ANNEX, ("附件", "附录")),
    (SectionPart.LEVELS, ("分级", "响应级别")),
    (SectionPart.REPORTING, ("信息报告", "信息接报", "报告程序")),
    (SectionPart.ORGANISATION, ("组织机构", "职责", "指挥机构")),
    (SectionPart.AFTERMATH, ("后期处置", "善后")),
    (SectionPart.SUPPORT, ("保障", "物资", "装备")),
    (SectionPart.RESPONSE, ("响应", "处置", "预警", "救援")),
    (SectionPart.GENERAL, ("总则", "适用范围", "编制目的", "编制依据", "工作原则")),
)
LEVEL_PATTERNS = {
    "I": re.compile(r"(Ⅰ|I|一)级"),
    "II": re.compile(r"(Ⅱ|II|二)级"),
    "III": re.compile(r"(Ⅲ|III|三)级"),
    "IV": re.compile(r"(Ⅳ|IV|四)级"),
}
ROLE_LINE = re.compile(r"^\s*(?:[（(]?\d+[)）.、]\s*)?([^：:，。]{2,20})[：:]\s*(.+)$")
HEADING_STYLES = ("heading", "标题", "title")


def part_of(heading: str) -> str:
    """The GB/T 29639-2020 part a heading belongs to."""
    for part, words in PART_KEYWORDS:
        if any(word in heading for word in words):
            return part
    return SectionPart.OTHER


def level_of(line: str) -> str | None:
    """The response level a line speaks of ("Ⅰ级响应", "二级"), the most severe first; None if none."""
    # III and II contain I: test the longer numerals first.
    for level in ("IV", "III", "II", "I"):
        if LEVEL_PATTERNS[level].search(line):
            return level
    return None


@dataclass
class Section:
    heading: str
    part: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    title: str
    sections: list[Section]

    def body(self) -> dict[str, Any]:
        """The body in the shape plan_body_set takes."""
        body: dict[str, list[dict[str, Any]]] = {"sections": [], "roles": [], "tiers": [], "annexes": []}
        seen_roles: set[str] = set()
        seen_levels: set[str] = set()
        for section in self.sections:
            text = "\n".join(section.lines)
            if section.part == SectionPart.ANNEX:
                body["annexes"].append({"title": section.heading[:200], "body": text})
                continue
            body["sections"].append({"part": section.part, "heading": section.heading[:200], "body": text})
            for line in section.lines:
                if section.part == SectionPart.ORGANISATION:
                    match = ROLE_LINE.match(line)
                    if match and match.group(1).strip() not in seen_roles:
                        name = match.group(1).strip()
                        seen_roles.add(name)
                        body["roles"].append({"name": name[:80], "duties": match.group(2).strip()})
                elif section.part == SectionPart.LEVELS:
                    level = level_of(line)
                    if level and level not in seen_levels:
                        seen_levels.add(level)
                        body["tiers"].append({"level": level, "trigger": line.strip()})
        return body


def parse(content: bytes) -> Parsed:
    """Read the headings and paragraphs of a .docx file; a file that is not one is a 400 on `file`."""
    from docx import Document

    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 — any failure of the parser on an uploaded file is the file's fault
        message = "not a readable .docx file"
        raise ValidationFailed(message, {"file": [message]}) from exc
    title = ""
    sections: list[Section] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if style.startswith("title") and not title:
            title = text
            continue
        if style.startswith(HEADING_STYLES):
            sections.append(Section(heading=text, part=part_of(text)))
        elif sections:
            sections[-1].lines.append(text)
        else:
            sections.append(Section(heading="前言", part=SectionPart.GENERAL, lines=[text]))
    return Parsed(title=title, sections=sections)
