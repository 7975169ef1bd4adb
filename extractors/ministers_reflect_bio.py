"""What a Ministers Reflect biography paragraph says: offices and years, department, party.

IfG bios read like "X was secretary of state for Northern Ireland (2016–18) and secretary of
state for housing, communities and local government (2018–19). He was previously a junior
Home Office minister (2010–16). He has been the Labour MP for Y since 1997." Offices are read
from "(years)" and "from/between years" phrases; the department only where the office's words
name one; the party only from a present-tense sentence ("has been the Labour MP", "is a
crossbench peer"), since a past party says nothing certain about the publication date.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from extractors.passage import split_sentences

_YEARS = re.compile(r"\((?P<years>(?:19|20)\d{2}(?:\s*[–—-]\s*(?:\d{2,4}|present))?)\)")
_LEAD = re.compile(
    r"^.*\b(?:was|as|became|become|been|is|appointed)\s+"
    r"(?:(?:most\s+recently|more\s+recently|previously|then|later|also|briefly|subsequently|first|"
    r"latterly|appointed)\s+)*",
    re.IGNORECASE | re.DOTALL,
)
_JOIN = re.compile(r"^[\s,;]*(?:and\s+|then\s+|before\s+that\s+|later\s+)*", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_SPAN = re.compile(
    r"\b(?:was|as)\s+(?P<office>[^.()]{3,120}?)\s+(?:from|between)\s+(?P<y1>(?:19|20)\d{2})\s*"
    r"(?:[–—-]|and|to|until)\s*(?P<y2>\d{2,4})",
    re.IGNORECASE,
)
_OFFICE_WORD = re.compile(
    r"minister|secretary|chancellor|whip|leader of|solicitor|attorney|advocate|paymaster|chief|"
    r"president|lord privy seal|commissioner|spokes|deputy|prime|first secretary", re.IGNORECASE)
_SEAT = re.compile(r"\b(?:MP|MSP|MLA|AM|MS|peer)\b|member of (?:parliament|the)", re.IGNORECASE)
_PARTY = re.compile(
    r"\b(?:is|has\s+been|sits\s+(?:in\s+the\s+House\s+of\s+Lords\s+)?as)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<party>Conservative|Labour|Liberal\s+Democrat|Scottish\s+National\s+Party|SNP|Plaid\s+Cymru|Green|"
    r"Democratic\s+Unionist|DUP|Alliance|Ulster\s+Unionist|UUP|SDLP|Sinn\s+Féin|Reform\s+UK|[Cc]rossbench)\b",
)
PARTY_NAMES = {"scottish national party": "SNP", "democratic unionist": "DUP", "ulster unionist": "UUP",
               "crossbench": "Crossbench", "liberal democrat": "Liberal Democrat"}
_DEVOLVED = re.compile(r"executive|scottish government|welsh government|assembly|holyrood|senedd", re.IGNORECASE)
DEPARTMENTS = (  # office words → department (first match wins)
    (r"cabinet office|duchy of lancaster|paymaster general|constitution", "Cabinet Office"),
    (r"treasury|exchequer|chief secretary|financial secretary|economic secretary", "HM Treasury"),
    (r"home office|home secretary|security minister|policing|immigration", "Home Office"),
    (r"northern ireland", "Northern Ireland Office"),
    (r"\bscotland\b", "Scotland Office"),
    (r"\bwales\b", "Wales Office"),
    (r"foreign|commonwealth", "Foreign Office"),
    (r"international development", "Department for International Development"),
    (r"defence|armed forces|veterans", "Ministry of Defence"),
    (r"justice|prisons|courts|lord chancellor", "Ministry of Justice"),
    (r"housing|communities|local government|levelling up", "Ministry of Housing, Communities and Local Government"),
    (r"health|social care", "Department of Health and Social Care"),
    (r"education|schools|universities|children", "Department for Education"),
    (r"work and pensions|pensions|welfare|disabled people", "Department for Work and Pensions"),
    (r"transport|\brail|roads|aviation", "Department for Transport"),
    (r"environment|food|rural|farming|defra", "Department for Environment, Food and Rural Affairs"),
    (r"culture|media|sport|digital", "Department for Culture, Media and Sport"),
    (r"energy|climate|net zero", "Department for Energy Security and Net Zero"),
    (r"science|innovation|technology", "Department for Science, Innovation and Technology"),
    (r"business|enterprise|industr|\btrade\b", "Department for Business and Trade"),
    (r"attorney general|solicitor general|law officer", "Attorney General's Office"),
)


@dataclass(frozen=True)
class Office:
    office: str
    start: int
    end: int | None  # None: to the present
    department: str | None


def _years(text: str) -> tuple[int, int | None]:
    parts = re.split(r"\s*[–—-]\s*", text.strip())
    start = int(parts[0])
    if len(parts) == 1:
        return start, start
    if parts[1] == "present":
        return start, None
    end = int(parts[1]) if len(parts[1]) == 4 else start // 100 * 100 + int(parts[1])
    return start, end if end >= start else end + 100


def department_of(office: str) -> str | None:
    """The UK department an office's words name, if they name one (devolved posts: None)."""
    if _DEVOLVED.search(office):
        return None
    lowered = office.lower()
    return next((name for pattern, name in DEPARTMENTS if re.search(pattern, lowered)), None)


def _office(words: str, start: int, end: int | None) -> Office | None:
    words = _ARTICLE.sub("", words.strip(" ,;")).strip()
    if len(words) < 3 or _SEAT.search(words) or len(words.split()) > 16 or not _OFFICE_WORD.search(words):
        return None
    return Office(words, start, end, department_of(words))


def offices(bio: str) -> list[Office]:
    """Every office with years that the biography names, in the order it names them."""
    found: list[Office] = []
    for sentence in split_sentences(bio):
        cursor = 0
        for match in _YEARS.finditer(sentence):
            segment = sentence[cursor:match.start()]
            lead = _LEAD.match(segment)
            words = segment[lead.end():] if lead and lead.end() > 0 else _JOIN.sub("", segment)
            if cursor == 0 and not lead:
                words = ""  # a sentence-initial "(years)" with no verb before it is not an office
            office = _office(words, *_years(match["years"]))
            if office:
                found.append(office)
            cursor = match.end()
        for match in _SPAN.finditer(sentence):
            start, end = _years(f"{match['y1']}-{match['y2']}")
            office = _office(match["office"], start, end)
            if office and office.office not in {o.office for o in found}:
                found.append(office)
    return found


def latest_department(found: list[Office]) -> str | None:
    """The department of the most recent office that names one."""
    dated = [o for o in found if o.department]
    if not dated:
        return None
    return max(dated, key=lambda o: (o.end if o.end is not None else 9999, o.start)).department


def party(bio: str) -> str | None:
    """The party a present-tense sentence gives ("has been the Labour MP for …"), else None."""
    match = _PARTY.search(bio)
    if not match:
        return None
    name = re.sub(r"\s+", " ", match["party"])
    return PARTY_NAMES.get(name.lower(), name)


def read_bio(paragraphs: list[str]) -> dict:
    """Offices (as dicts), the latest department and the present party, for Document.meta."""
    text = " ".join(paragraphs)
    found = offices(text)
    return {"offices": [asdict(o) for o in found], "department": latest_department(found), "party": party(text)}
