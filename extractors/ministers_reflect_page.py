"""One Ministers Reflect interview page (IfG) → a document of turn-paragraph passages. Pure.

Layout, top to bottom: an "Interview" label and the name (h1); either the sentence
"<Name> was interviewed [on] <d Month yyyy> for the Institute for Government's Ministers
Reflect project." or a one-line summary; a photo caption; the biography (offices and years);
then the transcript. Each participant's first turn is `Full Name (INITIALS): …`, later turns
`INITIALS: …`; unlabelled paragraphs continue the previous speaker; some pages have topic
subheadings, and pull quotes that repeat a sentence of the transcript (they are skipped).

The parser keys on text and document order, not on CSS classes (which the site may change):
blocks are `p`, `h2`-`h4` and `figcaption` after the `h1` inside `main`; the transcript is
what lies inside the lowest element that holds all labelled turns.

Roles. A passage's role is the speaker's role *at the passage date*, and the passage date is
the publication date (memoir-style dating; the interview date is kept in meta). By then the
interviewee is a *former* minister giving a first-person retrospective account, which is
what the `author` role stands for in memoirs and interviews; `minister` would claim an office
they no longer held. Their offices, read from the biography, are in `Document.meta`, and the
department of the latest one is the passage's department. Interviewers are IfG researchers,
for whom the vocabulary has no role: `unknown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bs4 import BeautifulSoup, Tag

from extractors.errors import ParseError
from extractors.ministers_reflect_bio import read_bio
from extractors.passage import Document, Passage, chunk_words, clean_text, context_before
from extractors.htmlsafe import soup as html_soup

SOURCE = "ministers_reflect"
SOURCE_TYPE = "memoir_interview"
SITE = "https://www.instituteforgovernment.org.uk"
MAX_WORDS = 250
INTERVIEWEE_ROLE = "author"

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_INTERVIEWED = re.compile(
    r"^(?P<name>.+?) was interviewed (?:on )?(?P<day>\d{1,2})(?:st|nd|rd|th)? (?P<month>[A-Za-z]+),? (?P<year>\d{4})"
    r" for the Institute for Government[’'‘`]?s Ministers Reflect project", re.IGNORECASE)
_NAME_TOKEN = r"(?:[A-Z][\w’'.\-]*|of|de|van|von|le|la|da|du|der|den|y)"
_FIRST = re.compile(rf"^(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,6}})\s*"
                    r"\((?P<initials>[A-Z][A-Za-z\-]{0,5})\)\s*:\s*(?P<text>.*)$", re.S)
_LATER = re.compile(r"^(?P<initials>[A-Z][A-Za-z\-]{0,5})\s*:\s*(?P<text>.*)$", re.S)
_SLUG = re.compile(r"/ministers-reflect/(?:person/)?(?P<slug>[a-z0-9][a-z0-9-]*)/?(?:[?#].*)?$")
_HONORIFIC = re.compile(r"\b(?:the|rt|hon|right|honourable|lord|lady|baroness|baron|sir|dame|dr|professor|prof|"
                        r"mr|mrs|ms|miss|mp|kc|qc|obe|cbe|mbe)\b\.?", re.I)
_SKIP_ANCESTORS = {"blockquote", "aside", "nav", "footer", "form", "figure", "script", "style"}
_SKIP_CLASS = re.compile(r"quote|related|share|promo|newsletter", re.I)
_BLOCKS = ["h2", "h3", "h4", "p", "figcaption"]
_QUOTED = re.compile(r"^[\"“‘'«]")
_EDITED = re.compile(r"\[\w[^\]]{0,20}\]")


@dataclass
class Turn:
    initials: str
    paragraphs: list[str] = field(default_factory=list)
    heading: str = ""


@dataclass
class Transcript:
    names: dict[str, str]  # initials → full name, from first occurrences
    turns: list[Turn]
    topics: list[str]
    pull_quotes: int
    start: Tag | None = None  # the first labelled paragraph


def parse_long_date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


def slug_of(url: str | None) -> str | None:
    match = _SLUG.search(url or "")
    return match["slug"] if match else None


def _text(tag: Tag) -> str:
    return clean_text(tag.get_text(""))


def _skipped(tag: Tag, root: Tag) -> bool:
    for parent in tag.parents:
        if parent is root:
            return False
        if parent.name in _SKIP_ANCESTORS and not (tag.name == "figcaption" and parent.name == "figure"):
            return True
        if _SKIP_CLASS.search(" ".join(parent.get("class") or [])):
            return True
    return root is not None


def norm_name(name: str) -> str:
    return re.sub(r"\s+", " ", _HONORIFIC.sub(" ", name.replace(",", " "))).strip().lower()


def same_person(a: str, b: str) -> bool:
    """Names match without honorifics, or by surname with no clash of first names."""
    x, y = norm_name(a).split(), norm_name(b).split()
    if not x or not y:
        return False
    if x == y:
        return True
    return x[-1] == y[-1] and (len(x) == 1 or len(y) == 1 or x[0] == y[0])


def interviewee_initials(names: dict[str, str], references: tuple[str, ...]) -> str | None:
    """The initials whose full name is the interviewee's: an exact match first, then by surname."""
    for exact in (True, False):
        for initials, name in names.items():
            if any((norm_name(name) == norm_name(ref)) if exact else same_person(name, ref) for ref in references):
                return initials
    return None


def _published_on_page(soup: BeautifulSoup, root: Tag) -> date | None:
    meta = soup.find("meta", attrs={"property": "article:published_time"})
    value = meta.get("content") if meta else None
    if not value:
        time = root.find("time", attrs={"datetime": True})
        value = time.get("datetime") if time else None
    try:
        return datetime.fromisoformat(value[:10]).date() if value else None
    except ValueError:
        return None


def read_transcript(blocks: list[Tag]) -> Transcript:
    """Turns from labelled paragraphs; headings between them become topics."""
    names: dict[str, str] = {}
    labelled: list[Tag] = []
    for block in blocks:  # first pass: who speaks, and where the transcript lies
        if block.name != "p":
            continue
        text = _text(block)
        first = _FIRST.match(text)
        if first:
            names.setdefault(first["initials"], first["name"].strip())
            labelled.append(block)
        elif (later := _LATER.match(text)) and later["initials"] in names:
            labelled.append(block)
    if not labelled:
        return Transcript({}, [], [], 0)
    container = _common_ancestor(labelled[0], labelled[-1])
    inside = [b for b in blocks if b is labelled[0] or container in b.parents]
    start = inside.index(labelled[0])
    while start > 0 and inside[start - 1].name in ("h2", "h3", "h4"):  # a topic heading over the first turn
        start -= 1
    body = [(b.name, _text(b)) for b in inside[start:] if b.name != "figcaption"]
    paragraphs = [t for kind, t in body if kind == "p"]
    turns: list[Turn] = []
    topics: list[str] = []
    heading = ""
    pull_quotes = 0
    for kind, text in body:
        if not text:
            continue
        if kind != "p":
            heading = text
            topics.append(text)
            continue
        first, later = _FIRST.match(text), _LATER.match(text)
        if first:
            turns.append(Turn(first["initials"], [first["text"].strip()], heading))
        elif later and later["initials"] in names:
            turns.append(Turn(later["initials"], [later["text"].strip()], heading))
        elif is_pull_quote(text, paragraphs):
            pull_quotes += 1
        else:
            turns[-1].paragraphs.append(text)
        heading = "" if kind == "p" else heading
    for turn in turns:
        turn.paragraphs = [p for p in turn.paragraphs if p]
    return Transcript(names, [t for t in turns if t.paragraphs], topics, pull_quotes, labelled[0])


def _common_ancestor(a: Tag, b: Tag) -> Tag:
    ancestors = list(a.parents)
    for parent in b.parents:
        if parent in ancestors:
            return parent
    return ancestors[-1]


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\[(\w)\]", r"\1", text.lower())).strip()


def is_pull_quote(text: str, paragraphs: list[str]) -> bool:
    """A quoted or bracket-edited paragraph repeating part of another one (an IfG pull quote)."""
    if not (_QUOTED.match(text) or _EDITED.search(text)):
        return False
    squashed = _squash(text)
    if len(squashed.split()) < 6:
        return False
    return any(squashed in _squash(other) for other in paragraphs if other != text and len(other) > len(text))


def parse_page(raw: bytes, name: str = "", *, url: str | None = None, published: date | None = None) -> Document:
    """Parse an interview page. `published` (from the index card) wins over the page's own date."""
    soup = html_soup(raw, name or url or "page")
    for junk in soup(["script", "style", "noscript", "template", "svg"]):
        junk.decompose()
    for br in soup.find_all("br"):
        br.replace_with(" ")
    root = soup.find("main") or soup.find("article") or soup.body or soup
    h1 = root.find("h1") or soup.find("h1")
    if h1 is None or not _text(h1):
        raise ParseError(f"{name or url}: no interviewee name (h1): not a Ministers Reflect interview page")
    interviewee = _text(h1)
    canonical = soup.find("link", rel="canonical")
    url = (canonical.get("href") if canonical else None) or url
    slug = slug_of(url) or slug_of("/ministers-reflect/" + re.sub(r"\.html?$", "", name.rsplit("/", 1)[-1]))
    if not slug:
        raise ParseError(f"{name or url}: no interview slug in the canonical URL or the file name")
    blocks = [b for b in h1.find_all_next(_BLOCKS) if not _skipped(b, root)]
    transcript = read_transcript(blocks)
    if not transcript.turns:
        raise ParseError(f"{name or url}: no `Full Name (INITIALS):` turns: not an interview transcript")

    interview_date, summary, bio, caption, named = None, None, [], None, interviewee
    for block in blocks:
        if block is transcript.start:
            break
        text = _text(block)
        if block.name == "figcaption":
            caption = caption or text
        elif block.name == "p" and (match := _INTERVIEWED.search(text)):
            interview_date = parse_long_date(match["day"], match["month"], match["year"])
            named = match["name"]
        elif block.name == "p" and text and re.search(r"\b(?:19|20)\d{2}\b", text):
            bio.append(text)
        elif block.name == "p" and text and summary is None:
            summary = text
    facts = read_bio(bio)

    on_page = _published_on_page(soup, root)
    day = published or on_page or interview_date
    if day is None:
        raise ParseError(f"{name or url}: no publication or interview date on the page or in the listing")
    basis = "listing" if published else "page" if on_page else "interview date"

    speaker_initials = interviewee_initials(transcript.names, (interviewee, named))
    document_id = f"{SOURCE}:{slug}"
    passages: list[Passage] = []
    previous: list[str] = []
    for t_index, turn in enumerate(transcript.turns):
        is_interviewee = turn.initials == speaker_initials
        for p_index, paragraph in enumerate(turn.paragraphs):
            chunks = chunk_words(paragraph, MAX_WORDS)
            for c_index, text in enumerate(chunks):
                suffix = f".{c_index}" if len(chunks) > 1 else ""
                passages.append(Passage.build(
                    source=SOURCE, source_type=SOURCE_TYPE, document_id=document_id,
                    locator=f"{slug}:{t_index}:{p_index}{suffix}", text=text, url=url, date=day,
                    speaker=transcript.names.get(turn.initials, turn.initials),
                    speaker_id=f"{SOURCE}:{slug}" if is_interviewee else None,
                    role=INTERVIEWEE_ROLE if is_interviewee else "unknown",
                    party=facts["party"] if is_interviewee else None,
                    department=facts["department"] if is_interviewee else None,
                    context=context_before(previous) or (turn.heading if p_index == 0 else ""),
                ))
                previous.append(text)
    interviewers = [{"initials": i, "name": n} for i, n in transcript.names.items() if i != speaker_initials]
    meta = {
        "interviewee": interviewee, "interviewee_initials": speaker_initials, "interviewers": interviewers,
        "interview_date": interview_date.isoformat() if interview_date else None,
        "published": day.isoformat(), "date_basis": basis, "summary": summary, "caption": caption,
        "bio": bio, **facts, "topics": transcript.topics, "turns": len(transcript.turns),
        "pull_quotes_skipped": transcript.pull_quotes,
    }
    if speaker_initials is None:
        meta["note"] = f"no turn label matches the interviewee {interviewee!r}: every role is 'unknown'"
    return Document(
        document_id=document_id, source=SOURCE, source_type=SOURCE_TYPE, item_id=slug, url=url,
        title=f"Ministers Reflect: {interviewee}", date=day, passages=passages, meta=meta,
    )


def looks_like_page(data: bytes) -> bool:
    """An HTML page of the Ministers Reflect archive (for `whitehall parse` format detection)."""
    head = data[:4096].lstrip().lower()
    return (head.startswith((b"<!doctype html", b"<html")) and b"ministers reflect" in data.lower()
            and b"ministers-reflect/" in data)
