"""Oral evidence transcripts (SOURCES-SPEC 3b): paragraphs → header, roster and Q-numbered turns.

A transcript arrives as a list of blocks (paragraphs of the HTML, or re-joined lines of the
PDF, see committees_pdf). The header block gives the committee, `Oral evidence: <title>, HC n`,
the sitting date, `Members present`, `Questions N - M` and the `Witnesses` panels. The body is
speaker turns: `Q407 Chair: …` opens question 407, `Name: …` is a further turn within it, and
an unlabelled paragraph continues the previous speaker. A label opens a turn when it names
someone on the roster, when the HTML sets it in bold, or when it starts with a title
(`Mr`, `Dr`, `Professor`…); otherwise `Then the question is: …` would split an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bs4 import NavigableString, Tag

from extractors.committees_models import Witness
from extractors.committees_roles import (CHAIR_LABELS, TITLE_PREFIX, HeaderWitness, Roster, matches, name_key,
                                         name_like, split_panel)
from extractors.passage import clean_text
from extractors.htmlsafe import soup as html_soup


@dataclass(frozen=True)
class Block:
    """One paragraph of a transcript; `bold_label` when the HTML opens it with a bold `Label:`."""

    text: str
    bold_label: bool = False


Q_TURN = re.compile(r"^Q\s?(?P<q>\d{1,5})\s*[.:]?\s*(?P<label>[A-Z][^:]{0,79}?)\s*:\s*(?P<text>.*)$", re.S)
LABEL_TURN = re.compile(r"^(?P<label>[A-Z][^:]{0,79}?)\s*:\s*(?P<text>.*)$", re.S)
TITLE = re.compile(r"^(?:(?P<status>Corrected|Uncorrected)\s+)?oral evidence:\s*(?P<title>.+?)"
                   r"(?:,\s*(?P<hc>HC\s*\d+))?\s*$", re.I | re.S)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SITTING_DATE = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?P<d>\d{1,2})"
                          r"(?:st|nd|rd|th)?\s+(?P<m>" + "|".join(MONTHS) + r")\s+(?P<y>\d{4})\.?$")
MEMBERS = re.compile(r"^Members present:\s*(?P<list>.+)$", re.S | re.I)
QUESTIONS = re.compile(r"\bQuestions?\s+(?P<a>\d+)\s*(?:[-–—]|to)\s*(?P<b>\d+)")
PANEL = re.compile(r"^(?:[IVX]+\s*:|Witness(?:es)?\s*:)\s*\S")
BODY_PROCEDURAL = re.compile(
    r"^(?:Examination of [Ww]itness(?:es)?\.?$|Witnesses\.?$|\(?\d{1,2}[.:]\d{2}\s*(?:am|pm)\)?$|"
    r"\(?The (?:Committee|meeting) (?:suspended|adjourned)|\[?Adjourned\b|On resuming\W*$|Watch the meeting$)", re.I)
RESERVED_LABELS = {"witnesses", "witness", "note", "members present", "present", "in attendance",
                   "also present", "questions", "examination of witnesses", "examination of witness",
                   "use of the transcript", "written evidence from witnesses"}


@dataclass
class Header:
    committee: str | None = None
    title: str | None = None
    status: str | None = None  # Corrected | Uncorrected (Lords)
    hc_number: str | None = None
    sitting: date | None = None
    members: list[tuple[str, bool]] = field(default_factory=list)  # (name, is chair)
    questions: tuple[int, int] | None = None
    panels: list[str] = field(default_factory=list)


@dataclass
class Turn:
    """One speaker turn: the question it belongs to, its index within it, the label and text."""

    q: int | None
    index: int
    label: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return clean_text(" ".join(self.paragraphs))


@dataclass
class Transcript:
    header: Header
    roster: Roster
    turns: list[Turn]


# -- HTML -------------------------------------------------------------------------------------

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote")
_BOLD = ("b", "strong")


def _is_bold(node: Tag, stop: Tag) -> bool:
    while node is not None and node is not stop:
        if isinstance(node, Tag) and (node.name in _BOLD or "bold" in (node.get("style") or "").replace(" ", "")):
            return True
        node = node.parent
    return False


def _leading_bold_label(element: Tag) -> bool:
    bold, rest = "", ""
    for node in element.descendants:
        if not isinstance(node, NavigableString) or not node.strip():
            continue
        if not rest and _is_bold(node.parent, element):
            bold += str(node)
        else:
            rest = str(node)
            break
    bold = bold.strip()
    return bool(bold) and (bold.endswith(":") or rest.lstrip().startswith(":"))


def html_blocks(data: bytes) -> list[Block]:
    """The paragraphs of a transcript's HTML, in document order."""
    soup = html_soup(data, "transcript")  # code and markup removed: never executed, never testimony
    for br in soup.find_all("br"):
        br.replace_with(" ")
    blocks: list[Block] = []

    def walk(parent: Tag) -> None:
        for element in parent.children:
            if not isinstance(element, Tag):
                continue
            if element.name in BLOCK_TAGS or (element.name == "div" and element.find(BLOCK_TAGS + ("div",)) is None):
                text = clean_text(element.get_text())
                if text:
                    blocks.append(Block(text, _leading_bold_label(element)))
            else:
                walk(element)

    walk(soup.body or soup)
    return blocks


# -- header -----------------------------------------------------------------------------------

def sitting_date(text: str) -> date | None:
    match = SITTING_DATE.match(text.strip())
    if not match:
        return None
    return datetime.strptime(f"{match['d']} {match['m']} {match['y']}", "%d %B %Y").date()


def members_present(text: str) -> list[tuple[str, bool]]:
    """`Mr Andrew Miller (Chair); Mr David Heath; …` → [(name, is chair)]."""
    text = text.strip().rstrip(".")
    parts = re.split(r";\s*", text) if ";" in text else re.split(r",\s*(?:and\s+)?", text)
    chair_mark = re.compile(r"\s*\((?:the\s+)?chair(?:man|woman)?\)|,?\s*in the chair", re.I)
    out = []
    for part in parts:
        part = re.sub(r"^and\s+", "", part.strip())
        name = chair_mark.sub("", part).strip()
        if name:
            out.append((name, bool(chair_mark.search(part))))
    return out


def parse_header(blocks: list[Block]) -> Header:
    """The header fields, read from the blocks before the first question (panels from anywhere)."""
    header = Header()
    first_q = next((i for i, b in enumerate(blocks) if Q_TURN.match(b.text)), len(blocks))
    for index, block in enumerate(blocks):
        text = block.text
        if PANEL.match(text):
            header.panels.append(text)
            continue
        if index >= first_q:
            continue
        title = TITLE.match(text)
        if title and header.title is None:
            header.title = clean_text(title["title"])
            header.status = title["status"]
            header.hc_number = re.sub(r"\s+", " ", title["hc"]) if title["hc"] else None
            if index > 0 and header.committee is None and not TITLE.match(blocks[index - 1].text):
                header.committee = blocks[index - 1].text
        elif header.sitting is None and sitting_date(text):
            header.sitting = sitting_date(text)
        elif MEMBERS.match(text) and not header.members:
            header.members = members_present(MEMBERS.match(text)["list"])
        elif header.questions is None and QUESTIONS.search(text) and len(text) < 120:
            found = QUESTIONS.search(text)
            header.questions = (int(found["a"]), int(found["b"]))
    return header


# -- turns ------------------------------------------------------------------------------------

def _label_candidates(blocks: list[Block]) -> set[str]:
    keys = set()
    for block in blocks:
        match = Q_TURN.match(block.text) or LABEL_TURN.match(block.text)
        if match and name_like(match["label"]) and match["label"].lower() not in RESERVED_LABELS:
            keys.add(name_key(match["label"]))
    return keys - {""}


def opens_turn(label: str, bold: bool, roster: Roster) -> bool:
    """Whether `Label:` at the start of a paragraph opens a new speaker turn."""
    label = label.strip()
    if label.lower() in RESERVED_LABELS or not name_like(label):
        return False
    if label.lower() in CHAIR_LABELS or roster.resolve(label) is not None or bold:
        return True
    return bool(TITLE_PREFIX.match(label)) and len(label.split()) <= 5


def split_turns(blocks: list[Block], roster: Roster) -> list[Turn]:
    """The speaker turns of the body, numbered by question and by turn within the question."""
    turns: list[Turn] = []
    current: Turn | None = None
    q: int | None = None
    for block in blocks:
        text = block.text
        if PANEL.match(text) or (turns and BODY_PROCEDURAL.match(text)):
            current = None  # a new panel or a procedural line ends the turn before it
            continue
        match = Q_TURN.match(text)
        if match and name_like(match["label"]):
            q = int(match["q"])
            current = Turn(q, 0, match["label"].strip(), [match["text"]] if match["text"].strip() else [])
            turns.append(current)
            continue
        match = LABEL_TURN.match(text)
        if match and opens_turn(match["label"], block.bold_label, roster):
            index = (turns[-1].index + 1) if turns and turns[-1].q == q else 0
            current = Turn(q, index, match["label"].strip(), [match["text"]] if match["text"].strip() else [])
            turns.append(current)
            continue
        if current is not None:
            current.paragraphs.append(text)
        elif turns:  # after a procedural line, unlabelled text belongs to the last speaker
            turns[-1].paragraphs.append(text)
    return [t for t in turns if t.text]


def read_transcript(blocks: list[Block], api_witnesses: list[Witness] | None = None) -> Transcript:
    """Header, roster and turns of one transcript."""
    header = parse_header(blocks)
    labels = _label_candidates(blocks)
    witnesses: list[HeaderWitness] = []
    for panel in header.panels:  # a witness named again (`Witnesses: Professor Lomax.`) is one person
        for witness in split_panel(panel, labels):
            key = name_key(witness.name)
            same = next((i for i, w in enumerate(witnesses)
                         if matches(name_key(w.name), key) or matches(key, name_key(w.name))), None)
            if same is None:
                witnesses.append(witness)
            elif witness.description and not witnesses[same].description:
                witnesses[same] = witness
    roster = Roster(header.members, witnesses, api_witnesses)
    return Transcript(header, roster, split_turns(blocks, roster))
