"""Invented oral evidence sessions written out in the transcript layouts: the API's HTML and a 2014-style PDF."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field
from datetime import date

from sample_archive.pdf_writer import write_pdf

LINES_PER_PAGE = 52
WRAP = 92


@dataclass
class SampleWitness:
    name: str  # as the header names them (`Alys Carrow MP`, `Professor Una Lomax`)
    label: str  # as the transcript labels their answers
    post: str | None
    organisation: str | None
    role: str  # the role class the parser should give them
    api: dict = field(default_factory=dict)  # the API's witnesses[] element

    def described(self) -> str:
        return ", ".join(filter(None, (self.name, self.post, self.organisation)))


@dataclass
class SampleTurn:
    q: int | None  # set on the question that opens a Q
    label: str
    paragraphs: list[str]


@dataclass
class Panel:
    witnesses: list[SampleWitness]
    turns: list[SampleTurn] = field(default_factory=list)


@dataclass
class Session:
    evidence_id: int
    committee: tuple[int, str]
    inquiry: tuple[int, str]
    hc_number: int
    meeting: date
    published: date
    chair: str
    members: list[str]
    panels: list[Panel]
    pdf_only: bool = False

    @property
    def questions(self) -> tuple[int, int]:
        numbers = [t.q for p in self.panels for t in p.turns if t.q is not None]
        return min(numbers), max(numbers)

    def members_line(self) -> str:
        return "; ".join([f"{self.chair} (Chair)"] + self.members)


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _roman(n: int) -> str:
    return ("I", "II", "III", "IV", "V")[n]


def render_html(session: Session) -> bytes:
    """The transcript as the API's `Document/Html` carries it: one `<p>` per paragraph, labels in bold."""
    e = html.escape
    title = session.inquiry[1]
    out = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Oral evidence - {e(title)}</title></head>", '<body><div class="WordSection1">',
           f'<p class="CommitteeName">{e(session.committee[1])}</p>',
           f'<p class="TitleOfEvidence"><b>Oral evidence: {e(title)}, HC {session.hc_number}</b></p>',
           f"<p>{long_date(session.meeting)}</p>",
           f"<p>Ordered by the House of Commons to be published on {session.published.day} "
           f"{session.published:%B %Y}.</p>",
           '<p><a href="https://parliamentlive.tv/">Watch the meeting</a></p>',
           f"<p>Members present: {e(session.members_line())}.</p>",
           "<p>Questions {} - {}</p>".format(*session.questions),
           "<p><b>Witnesses</b></p>"]
    for index, panel in enumerate(session.panels):
        people = "; and ".join(e(w.described()) for w in panel.witnesses)
        out.append(f"<p>{_roman(index)}: {people}.</p>")
    for index, panel in enumerate(session.panels):
        plural = "es" if len(panel.witnesses) > 1 else ""
        out.append(f'<p class="Heading"><b>Examination of witness{plural}</b></p>')
        out.append(f"<p>Witness{plural}: {e(' and '.join(w.label for w in panel.witnesses))}.</p>")
        for turn in panel.turns:
            first, *rest = turn.paragraphs
            q = f"<b>Q{turn.q}</b> " if turn.q is not None else ""
            out.append(f"<p>{q}<b>{e(turn.label)}:</b> {e(first)}</p>")
            out.extend(f"<p>{e(p)}</p>" for p in rest)
    out.append("</div></body></html>")
    return "\n".join(out).encode("utf-8")


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False) or [""]


def pdf_lines(session: Session) -> list[str]:
    """The transcript's lines, hard-wrapped, in the 2014 PDF layout (without page furniture)."""
    title = session.inquiry[1]
    lines = [session.committee[1], *_wrapped(f"Oral evidence: {title}, HC {session.hc_number}"),
             long_date(session.meeting),
             f"Ordered by the House of Commons to be published on {session.published.day} {session.published:%B %Y}.",
             "Watch the meeting", *_wrapped(f"Members present: {session.members_line()}"),
             "Questions {}-{}".format(*session.questions)]
    for index, panel in enumerate(session.panels):
        many = len(panel.witnesses) > 1
        people = [w.described() for w in panel.witnesses]
        named = ", ".join(people[:-1]) + ", and " + people[-1] if many else people[0]
        if index:
            lines.append(f"Examination of Witness{'es' if many else ''}")
        lines.extend(_wrapped(f"Witness{'es' if many else ''}: {named}, gave evidence."))
        for turn in panel.turns:
            first, *rest = turn.paragraphs
            q = f"Q{turn.q}  " if turn.q is not None else ""
            lines.extend(_wrapped(f"{q}{turn.label}: {first}"))
            for paragraph in rest:
                lines.extend(_wrapped(paragraph))
    return lines


def render_pdf(session: Session) -> bytes:
    """The 2014-style PDF: the running header `Oral evidence: <title>, HC n <page>` on every page."""
    lines = pdf_lines(session)
    header = f"Oral evidence: {session.inquiry[1]}, HC {session.hc_number}"
    body = LINES_PER_PAGE - 2
    pages = [[f"{header} {n + 1}", ""] + lines[start:start + body]
             for n, start in enumerate(range(0, len(lines), body))]
    return write_pdf(pages, title=session.committee[1])
