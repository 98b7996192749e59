"""The documents the bureau files — incident reports (初报/续报/终报) and the after-action review (总结评估) — as one
small model of numbered sections. The HTML views and the Word writer both render this model, so the wording
lives here only. Builders read what they are given and never touch the database; labels are gettext strings, so
the caller picks the language (official copies are built under `translation.override("zh-hans")`)."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yingji.incidents.review import ReviewFigures, duration_text

# Section numbers as official documents write them (GB/T 9704: 一、二、三、…).
NUMERALS = "一二三四五六七八九十"
DATE_FORMAT = "Y年n月j日 H:i"


@dataclass(frozen=True)
class Section:
    """One numbered section: label/value facts, paragraphs, a numbered list and/or a table, in that order."""

    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """A whole document: title, the line under it, numbered sections and the sign-off (issuer and date)."""

    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    issuer: str
    dated: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        """The document as stored (JSON turns tuples into lists)."""
        return cls(
            title=data["title"],
            meta=[tuple(pair) for pair in data["meta"]],
            sections=[Section(**{**s, "facts": [tuple(pair) for pair in s["facts"]]}) for s in data["sections"]],
            issuer=data["issuer"],
            dated=data["dated"],
        )


def when(value: datetime | None) -> str:
    """A moment as official documents write it, in Beijing time: "2026年5月1日 09:30"."""
    return dateformat.format(timezone.localtime(value), DATE_FORMAT) if value else "—"


def _numbered(sections: Iterable[Section]) -> list[Section]:
    return [replace(s, heading=f"{NUMERALS[i]}、{s.heading}") for i, s in enumerate(sections)]


def issuer() -> str:
    return _("Huangshigang District Emergency Management Bureau")


def casualties_text(incident: Any) -> str:
    return _(
        "%(d)s dead, %(m)s missing, %(s)s seriously injured (incl. acute industrial poisoning), %(i)s slightly injured"
    ) % {"d": incident.deaths, "m": incident.missing, "s": incident.serious_injuries, "i": incident.minor_injuries}


def _grade_text(grade_label: str) -> str:
    return grade_label or _("Not graded under the Regulations on Production Safety Accident Reporting (Order 493)")


def _category_text(incident: Any) -> str:
    return f"{incident.get_category_display()} · {incident.type.name}"


def report_filename(report: Any) -> str:
    """The file name of a report's Word copy: "YJ20260501001-初报.docx"."""
    with translation.override("zh-hans"):
        return f"{report.incident.code}-{report.get_kind_display()}.docx"


def review_filename(incident: Any) -> str:
    with translation.override("zh-hans"):
        return f"{incident.code}-{_('after-action review')}.docx"


def report_document(
    *,
    incident: Any,
    kind_label: str,
    recipient: str,
    reason: str,
    sent_at: datetime,
    by: Any,
    grade_label: str,
    tasks: list[Any],
    timeline: list[Any],
    chain: list[tuple[str, datetime]],
) -> Document:
    """An incident report (初报/续报/终报) as it stands at `sent_at`. `chain` names each level that must hear of it
    with its latest time (Order 493 art. 9-11)."""
    source = incident.get_source_display()
    if incident.reporter_name:
        source = f"{source}，{incident.reporter_name} {incident.reporter_phone}".strip()
    place = f"{incident.org.name} {incident.address}".strip()
    if incident.lat is not None:
        place = f"{place}（{incident.lat:.5f}, {incident.lon:.5f}）"
    response = incident.get_response_level_display() or _("not started")
    if incident.commander:
        response += "，" + _("commander %(name)s") % {"name": incident.commander}
    if incident.post_address:
        response += "，" + _("command post %(place)s") % {"place": incident.post_address}
    facts = [
        (_("Name of the incident"), incident.title),
        (_("Category"), _category_text(incident)),
        (_("Occurred at"), when(incident.occurred_at)),
        (_("Received at"), f"{when(incident.received_at)}（{source}）"),
        (_("Where"), place),
    ]
    if incident.enterprise:
        facts.append((_("Enterprise involved"), incident.enterprise.name))
    facts += [
        (_("Casualties"), casualties_text(incident)),
        (_("Direct economic loss"), _("%(n)s yuan") % {"n": incident.direct_loss_yuan}),
        (_("Accident grade"), _grade_text(grade_label)),
        (_("Emergency response"), response),
    ]
    if incident.description:
        facts.append((_("Summary"), incident.description))
    sections = [Section(heading=_("Basic facts"), facts=facts)]
    if tasks:
        sections.append(
            Section(
                heading=_("Response tasks"),
                items=[
                    f"{t.title}（{t.assignee_org or ''}{t.assignee_user or ''}，{t.get_status_display()}）"
                    for t in tasks
                ],
            )
        )
    sections.append(
        Section(
            heading=_("Course of the response"),
            items=[f"{dateformat.format(timezone.localtime(e.at), 'n月j日 H:i')} {e.text}" for e in timeline],
        )
    )
    sections.append(
        Section(
            heading=_("Reporting deadlines"),
            paragraphs=[
                _(
                    "Under articles 9 to 11 of the Regulations on Production Safety Accident Reporting and "
                    "Investigation: the head of the unit reports to the district bureau within 1 hour of learning of "
                    "the accident; each level reports upward within 2 hours."
                )
            ],
            items=[_("%(level)s: by %(due)s") % {"level": label, "due": when(due)} for label, due in chain],
        )
    )
    meta = [
        (_("Incident number"), incident.code),
        (_("Reported to"), recipient),
        (_("Sent at"), when(sent_at)),
    ]
    if by:
        meta.append((_("Sent by"), str(by)))
    if reason:
        meta.append((_("Reason for the report"), reason))
    return Document(
        title=_("%(issuer)s incident information: %(kind)s") % {"issuer": issuer(), "kind": kind_label},
        meta=meta,
        sections=_numbered(sections),
        issuer=issuer(),
        dated=when(sent_at),
    )


def review_document(
    *, incident: Any, grade_label: str, figures: ReviewFigures, findings: str, improvements: str, dated: datetime
) -> Document:
    """The after-action review (总结评估): basic facts, the computed figures as tables, findings, improvements."""
    sections = [
        Section(
            heading=_("Basic facts"),
            facts=[
                (_("Category"), _category_text(incident)),
                (_("Accident grade"), _grade_text(grade_label)),
                (_("Casualties"), casualties_text(incident)),
                (_("Direct economic loss"), _("%(n)s yuan") % {"n": incident.direct_loss_yuan}),
            ],
        ),
        Section(
            heading=_("Response times"),
            columns=[_("Measure"), _("Duration")],
            rows=[
                [_("Time to first report"), duration_text(figures.to_first_report)],
                [_("Time to first dispatch"), duration_text(figures.to_first_dispatch)],
                [_("Total duration"), duration_text(figures.total)],
            ],
        ),
    ]
    if figures.arrivals:
        sections.append(
            Section(
                heading=_("Arrival of each resource"),
                columns=[_("Resource"), _("Dispatched"), _("On scene"), _("Travel")],
                rows=[
                    [a.name, when(a.dispatched_at), when(a.on_scene_at), duration_text(a.travel)]
                    for a in figures.arrivals
                ],
            )
        )
    sections += [
        Section(heading=pgettext("after-action review", "Findings"), paragraphs=_paragraphs(findings)),
        Section(heading=_("Improvement actions"), paragraphs=_paragraphs(improvements)),
    ]
    return Document(
        title=_("%(title)s: after-action review") % {"title": incident.title},
        meta=[
            (_("Incident number"), incident.code),
            (_("Received at"), when(incident.received_at)),
            (_("Closed at"), when(incident.closed_at)),
        ],
        sections=_numbered(sections),
        issuer=issuer(),
        dated=when(dated),
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] or ["—"]
