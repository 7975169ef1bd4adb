"""The explicit-vocabulary detector (CODEBOOK step 3): the framework's own terms used as names.

Terms that only the framework uses ('advisory competence', 'the five traits') always count.
Terms that are also ordinary English ('getting things done', 'speaking plainly', 'getting it')
count only when the passage uses them as a trait's name: quoted, capitalised as a name, or
next to words such as 'trait', 'framework' or the Institute for Government.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.codebook import CODEBOOK

_QUOTES = "'\"‘’“”"
_NAMING_CUES = re.compile(
    r"\b(traits?|framework|institute for government|ifg|the paper|shared language|"
    r"vocabulary|so-called|what (the )?(ifg|institute) calls?|heading of|under the heading|"
    r"criteri(on|a)|competences?|dimensions?|scores? (on|for)|rated on)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ExplicitMatch:
    term: str
    span: str
    start: int
    end: int


def _term_pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<![\w])" + r"[\s-]+".join(words) + r"(?![\w])", re.IGNORECASE)


_PATTERNS = {term: _term_pattern(term) for term in CODEBOOK.explicit_terms}
_ALWAYS = set(CODEBOOK.explicit_always)


def _quoted(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return any(q in before for q in _QUOTES) and any(q in after for q in _QUOTES)


def _capitalised_as_name(span: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", span) if w]
    return len(words) > 1 and all(w[0].isupper() for w in words)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("? ", end), text.find("! ", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left + 2 if left != -1 else 0:right].strip()


def find_explicit(text: str) -> list[ExplicitMatch]:
    """Every use of the framework's terms as names in the text."""
    matches: list[ExplicitMatch] = []
    for term, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            sentence = _sentence_around(text, m.start(), m.end())
            if (term in _ALWAYS or _quoted(text, m.start(), m.end())
                    or _capitalised_as_name(m.group(0)) or _NAMING_CUES.search(sentence)):
                matches.append(ExplicitMatch(term, sentence, m.start(), m.end()))
    return sorted(matches, key=lambda m: m.start)


def has_explicit_vocabulary(text: str) -> bool:
    return bool(find_explicit(text))
