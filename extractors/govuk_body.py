"""The passage units of a GOV.UK govspeak body, in document order, with their section anchors."""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import Comment, NavigableString, Tag

from extractors.passage import clean_text
from extractors.htmlsafe import soup as html_soup

UNITS = ("p", "li", "blockquote")
HEADINGS = ("h2", "h3")
_SKIPPED_CONTAINERS = ("table", "script", "style")


@dataclass(frozen=True)
class BodyUnit:
    """One passage unit: its text and the id and text of the nearest heading before it."""

    index: int
    text: str
    anchor: str | None
    heading: str


def _own_text(unit: Tag) -> str:
    """The unit's text, leaving out nested units (a list inside a list item, a `<p>` in a quote)."""
    parts = []
    for string in unit.find_all(string=True):
        if isinstance(string, Comment) or not isinstance(string, NavigableString):
            continue
        if string.find_parent(UNITS) is unit:
            parts.append(str(string))
    return clean_text("".join(parts))


def _skipped(unit: Tag) -> bool:
    if unit.find_parent(_SKIPPED_CONTAINERS) is not None:
        return True
    footnotes = unit.find_parent("div", class_="footnotes")
    return footnotes is not None


def body_units(html: str) -> list[BodyUnit]:
    """Block elements of the body in document order: `p`, `li`, and `blockquote` text not already
    inside a `p`, each counted once. Tables and govspeak footnotes are not discourse and are left
    out; headings give the anchor (the nearest preceding `h2`/`h3` with an id) and context."""
    soup = html_soup(html or "", "details.body")  # code and markup removed: never executed, never text
    for br in soup.find_all("br"):
        br.replace_with(" ")
    for marker in soup.find_all("sup", id=lambda v: bool(v) and v.startswith("fnref")):
        marker.decompose()  # footnote reference numbers would fuse with the word before them
    units: list[BodyUnit] = []
    anchor: str | None = None
    heading = ""
    for element in soup.find_all(UNITS + HEADINGS):
        if element.name in HEADINGS:
            if element.get("id"):
                anchor = element["id"]
                heading = clean_text(element.get_text())
            continue
        if _skipped(element):
            continue
        text = _own_text(element)
        if text:
            units.append(BodyUnit(len(units), text, anchor, heading))
    return units
