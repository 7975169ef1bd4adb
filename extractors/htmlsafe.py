"""HTML parsing that cannot be steered by the page: one entry point for BeautifulSoup.

A page the parser refuses is parsed again without NUL bytes (a NUL inside `<meta charset>` made
lxml refuse the encoding name with a ValueError); whatever it still raises becomes a ParseError
naming the page. Code and embedded objects
(`script`, `style`, `template`, `iframe`...) are removed: they are never executed and never text.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from extractors.errors import ParseError

NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")


def soup(markup: bytes | str, name: str = "page") -> BeautifulSoup:
    """The parsed page, with code and embedded objects removed; ParseError if it cannot be read."""
    try:
        parsed = _parse(markup)
    except (ValueError, LookupError, TypeError, AssertionError):
        try:  # a NUL where the parser reads an encoding name: parse again without NULs
            parsed = _parse(markup.replace(b"\x00", b"") if isinstance(markup, bytes) else markup.replace("\x00", ""))
        except (ValueError, LookupError, TypeError, AssertionError) as exc:
            raise ParseError(f"{name}: unreadable HTML ({type(exc).__name__}: {exc})") from exc
    for element in parsed.find_all(NEVER_TEXT):
        element.decompose()
    return parsed


def _parse(markup: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(markup, "lxml")
