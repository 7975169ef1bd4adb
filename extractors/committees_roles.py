"""Who speaks in an oral evidence session, and in what role: the roster of one transcript.

The roster joins three records: the transcript's `Members present` (committee members, the
Chair marked), its `Witnesses` panels (name, post, organisation as written), and, when the
session came through the Committees API, the API's `witnesses[]` (post and organisation from
`organisations[]`, `memberInfo` for MPs and peers, ids). A speaker label (`Mr Vaizey`,
`Chair`, `Professor De Roure`) resolves to one roster entry or to none.

Role classes follow CONTRACTS: `committee_member` for the Chair and Members present;
`minister` for a ministerial post; `official` for a civil-service post or a post in a
government department; `special_adviser` for a special adviser; `external_witness` for any
other witness whose post or organisation is recorded (a former minister or official speaks as
an outside witness). Where nothing is recorded about a speaker the role is `unknown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.committees_models import Witness

_HONORIFIC = {"mr", "mrs", "ms", "miss", "mx", "rt", "hon", "right", "honourable", "the"}
_TITLE = {"dr", "professor", "prof", "sir", "dame", "lord", "baroness", "lady", "rev", "reverend",
          "revd", "canon", "cllr", "councillor", "judge", "general", "admiral", "air", "marshal",
          "major", "colonel", "captain", "commander", "chief", "constable"}
_POSTNOMINAL = {"mp", "qc", "kc", "cbe", "obe", "mbe", "kcb", "gcb", "cb", "kbe", "dbe", "gbe", "frs",
                "freng", "fba", "fmedsci", "frse", "pc", "msp", "ms", "mla", "jp", "dl", "cmg", "kcmg",
                "gcmg", "lvo", "cvo", "kcvo", "gcvo", "frcp", "frcs", "facss", "frsa", "bem", "mep"}
_PARTICLES = {"of", "the", "de", "van", "von", "der", "den", "du", "la", "le", "al", "bin", "ap", "da", "di"}
CHAIR_LABELS = {"chair", "the chair", "chairman", "the chairman", "chairwoman", "the chairwoman"}
TITLE_PREFIX = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Prof|Sir|Dame|Lord|Baroness|Lady|The Rt Hon|Rt Hon)\b")

MINISTER_POST = re.compile(
    r"^(?:Parliamentary Under[- ]Secretary(?: of State)?\b|Minister\b|Secretary of State|Prime Minister|"
    r"Deputy Prime Minister|Chancellor of the (?:Exchequer|Duchy of Lancaster)|Chief Secretary to the Treasury|"
    r"Financial Secretary to the Treasury|Economic Secretary to the Treasury|Exchequer Secretary|"
    r"Paymaster General|Lord Chancellor|Attorney General|Solicitor General|Advocate General|"
    r"Leader of the House|Lord President of the Council|Lord Privy Seal|First Secretary of State|"
    r"Parliamentary Secretary|Chief Whip|(?:Home|Foreign|Health|Education|Defence|Justice|Transport|"
    r"Business|Culture|Environment|Work and Pensions) Secretary)", re.I)
OFFICIAL_POST = re.compile(
    r"\b(?:Permanent (?:Under[- ])?Secretary|Cabinet Secretary|Head of the (?:Home )?Civil Service|"
    r"Director[- ]General|(?<!Parliamentary )Private Secretary|Government Chief|"
    r"Chief Scientific Adviser|Chief Medical Officer|National Statistician|civil servant)\b", re.I)
SPECIAL_ADVISER = re.compile(r"\bspecial advis[eo]r\b", re.I)
GOVERNMENT_BODY = re.compile(
    r"\b(?:Department (?:for|of)\b|Ministry of\b|HM Treasury|HM Revenue|HM Prison|Cabinet Office|Home Office|"
    r"Foreign, Commonwealth and Development Office|Foreign and Commonwealth Office|Northern Ireland Office|"
    r"Scotland Office|Wales Office|Office of the Secretary of State for (?:Scotland|Wales)|"
    r"Prime Minister'?s Office|10 Downing Street|Number 10|Government Digital Service|Government Legal Department|"
    r"Government Office for Science|Government Actuary|Government Equalities Office|Government Property Agency|"
    r"Office for National Statistics|Crown Commercial Service|Infrastructure and Projects Authority|"
    r"Treasury Solicitor|Attorney General'?s Office|UK Export Finance|Crown Prosecution Service|Border Force|"
    r"Public Health England|UK Health Security Agency|Office of the Parliamentary Counsel|Civil Service\b)")


def _tokens(name: str) -> list[str]:
    name = name.replace("’", "'").replace(".", " ").replace(",", " ")
    return [t for t in name.split() if t]


def person_name(raw: str) -> str:
    """A display name: `Rt Hon Andrea Leadsom MP` → `Andrea Leadsom`; `Mr Andrew Miller` → `Andrew Miller`."""
    tokens = raw.replace(",", " ").split()
    while tokens and tokens[0].lower().strip(".") in _HONORIFIC:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1].lower().strip(".") in _POSTNOMINAL:
        tokens.pop()
    return " ".join(tokens)


def name_key(raw: str) -> str:
    """A matching key without honorifics, titles or post-nominals: `Sir Nigel Shadbolt` → `nigel shadbolt`."""
    tokens = [t.lower() for t in _tokens(raw)]
    while tokens and (tokens[0] in _HONORIFIC or tokens[0] in _TITLE):
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in _POSTNOMINAL:
        tokens.pop()
    return " ".join(tokens)


def name_like(label: str) -> bool:
    """Whether a label reads as a person's name or a chair label (not `Then the question is`)."""
    if label.lower() in CHAIR_LABELS:
        return True
    tokens = _tokens(label)
    if not tokens or len(tokens) > 8:
        return False
    for token in tokens:
        bare = token.lower()
        if bare in _PARTICLES or re.match(r"^(?:d|o|l|mc|mac)'", bare):
            continue
        if not token[0].isupper() or any(ch.isdigit() for ch in token):
            return False
    return True


def matches(entry_key: str, label_key: str) -> bool:
    return bool(label_key) and (entry_key == label_key or entry_key.endswith(" " + label_key))


@dataclass(frozen=True)
class Speaker:
    """One person on the roster."""

    name: str
    role: str
    post: str | None = None
    organisation: str | None = None
    speaker_id: str | None = None
    chair: bool = False

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class HeaderWitness:
    """A witness as the transcript's header names them: name, then post and organisation."""

    name: str
    description: str = ""

    @property
    def pieces(self) -> list[str]:
        return [p.strip() for p in self.description.split(",") if p.strip()]


def split_panel(text: str, label_keys: set[str]) -> list[HeaderWitness]:
    """The witnesses of one panel line (`I: A, post, org; and B, post.` or `Witnesses: A, post, and B, post, gave evidence.`)."""
    text = re.sub(r"^\s*(?:[IVX]+\s*:|Witness(?:es)?\s*:)\s*", "", text)
    text = re.sub(r",?\s*(?:all\s+|each\s+)?gave evidence\.?\s*$", "", text).strip().rstrip(".")
    if not text:
        return []
    if ";" in text:
        out = []
        for piece in re.split(r";\s*(?:and\s+)?", text):
            name, _, description = piece.strip().partition(",")
            if name.strip():
                out.append(HeaderWitness(person_name(name.strip()), description.strip()))
        return out
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?", text) if p.strip()]
    people: list[tuple[str, list[str]]] = []
    for part in parts:
        split = [s.strip() for s in re.split(r"\s+and\s+", part)]
        if len(split) > 1 and all(_is_person(s, label_keys) for s in split):
            people.extend((s, []) for s in split)
        elif _is_person(part, label_keys):
            people.append((part, []))
        elif people:
            people[-1][1].append(part)
        else:  # no label matched the first part: it is the one witness the line names
            people.append((part, []))
    return [HeaderWitness(person_name(name), ", ".join(desc)) for name, desc in people]


def _is_person(part: str, label_keys: set[str]) -> bool:
    key = name_key(part)
    return 0 < len(key.split()) <= 5 and any(matches(key, k) for k in label_keys)


def organisation_of(pieces: list[str]) -> str | None:
    """The body a witness speaks for, from the header description (post first, body last)."""
    anchored = [i for i, piece in enumerate(pieces) if GOVERNMENT_BODY.match(piece)]
    if anchored:  # the last piece naming a government body; some department names hold commas
        rest = pieces[anchored[-1]:]
        if re.match(r"^(?:Department (?:for|of)|Ministry of)\b", rest[0]):
            for end in range(1, min(len(rest), 4)):
                if rest[end].startswith("and ") or not rest[end][:1].isupper():
                    break
                if " and " in rest[end]:
                    return ", ".join(rest[:end + 1])
        return rest[0]
    found = GOVERNMENT_BODY.search(", ".join(pieces))  # `Minister for the Cabinet Office`
    if found:
        return found.group(0)
    if len(pieces) < 2:
        return None
    return re.sub(r"^representing\s+(?:the\s+)?", "", pieces[-1], flags=re.I) or None


def classify(post: str | None, organisation: str | None, description: str) -> str:
    """The role class of a witness from what the records say; `unknown` when they say nothing."""
    post = (post or "").strip()
    text = " ".join(filter(None, (post, organisation, description)))
    if not text:
        return "unknown"
    if re.match(r"^(?:former|ex-|previously)\b", post, re.I):
        return "external_witness"
    if SPECIAL_ADVISER.search(post or description):
        return "special_adviser"
    if MINISTER_POST.match(post):
        return "minister"
    if OFFICIAL_POST.search(post) or (organisation and GOVERNMENT_BODY.search(organisation)):
        return "official"
    return "external_witness"


def from_header(witness: HeaderWitness) -> Speaker:
    pieces = witness.pieces
    post = pieces[0] if pieces else None
    organisation = organisation_of(pieces)
    if organisation and post == organisation:
        post = None
    return Speaker(witness.name, classify(post, organisation, witness.description), post, organisation)


def from_api(witness: Witness, fallback: Speaker | None = None) -> Speaker | None:
    """A roster entry from an API witness (merged over the header's entry for the same person)."""
    org = witness.organisations[0] if witness.organisations else None
    post = (org.role if org else None) or (fallback.post if fallback else None)
    organisation = (org.name if org else None) or (fallback.organisation if fallback else None)
    context = witness.additional_context or ""
    speaker_id = (f"mnis:{witness.member_info.mnis_id}" if witness.member_info and witness.member_info.mnis_id
                  else f"committees:person/{witness.person_id}" if witness.person_id else None)
    name = person_name(witness.name) if witness.name else (fallback.name if fallback else None)
    if not name:
        return None
    if org or context:
        role = classify(post, organisation, context)
    else:  # nothing recorded by the API (an MP's `memberInfo` alone says no post): the header decides
        role = fallback.role if fallback else "unknown"
    return Speaker(name, role, post, organisation, speaker_id or (fallback.speaker_id if fallback else None))


class Roster:
    """The speakers of one session, and the resolution of speaker labels against them."""

    def __init__(self, members: list[tuple[str, bool]], header: list[HeaderWitness],
                 api: list[Witness] | None = None) -> None:
        self.members = [Speaker(person_name(n), "committee_member", chair=c) for n, c in members]
        witnesses = [from_header(w) for w in header]
        for api_witness in api or []:
            witnesses = _merge_api(witnesses, api_witness)
        self.witnesses = witnesses
        self._resolved: dict[str, Speaker | None] = {}

    @property
    def everyone(self) -> list[Speaker]:
        return self.members + self.witnesses

    def chair(self) -> Speaker:
        chairs = [m for m in self.members if m.chair]
        return chairs[0] if len(chairs) == 1 else Speaker("Chair", "committee_member", chair=True)

    def resolve(self, label: str) -> Speaker | None:
        """The roster entry a label names; None when no entry, or more than one, fits."""
        if label not in self._resolved:
            self._resolved[label] = self._resolve(label)
        return self._resolved[label]

    def _resolve(self, label: str) -> Speaker | None:
        label = re.sub(r"\s*\((?:continuing|continued|cont'd)\)\s*$", "", label.strip(), flags=re.I)
        if label.lower() in CHAIR_LABELS:
            return self.chair()
        key = name_key(label)
        found = {s.name: s for s in self.everyone if matches(s.key, key)}
        if not found and len(key.split()) > 1:
            surname = key.split()[-1]
            found = {s.name: s for s in self.everyone if s.key.split()[-1:] == [surname]}
        if len(found) > 1:  # `Dr Marsh` beside `Ann Marsh`: the title tells them apart, or nothing does
            title = label.split()[0].lower()
            found = {n: s for n, s in found.items() if title in _TITLE and n.split()[0].lower() == title}
        return next(iter(found.values())) if len(found) == 1 else None


def _merge_api(witnesses: list[Speaker], api: Witness) -> list[Speaker]:
    if api.name:
        key = name_key(api.name)
        for index, speaker in enumerate(witnesses):
            if matches(speaker.key, key) or matches(key, speaker.key):
                merged = from_api(api, speaker)
                return witnesses[:index] + [merged or speaker] + witnesses[index + 1:]
        entry = from_api(api)
        return witnesses + ([entry] if entry else [])
    # an organisation witness: the API names the body only; the header names the person
    body = (api.organisations[0].name or "") if api.organisations else ""
    if not body:
        return witnesses
    out = []
    for speaker in witnesses:
        if body.casefold() in " ".join(filter(None, (speaker.post, speaker.organisation))).casefold():
            merged = from_api(api, replace(speaker, organisation=body))
            out.append(merged or speaker)
        else:
            out.append(speaker)
    return out
