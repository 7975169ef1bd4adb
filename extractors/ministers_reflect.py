"""The Institute for Government's Ministers Reflect interviews: discovery from the index pages.

The index, `/ministers-reflect` then `?page=N` (Drupal, 0-based), lists 10 interviews a page,
newest first ("Displaying 31 - 40 of 171"); each card shows the publication date
("29 JUN 2022 Interview"), the name, a one-line summary and a link to the interview
(`/ministers-reflect/person/<slug>/`, or `/ministers-reflect/<slug>` on newer pages).
Discovery pages back until it passes the watermark; the cursor is the publication date (ISO)
and the slug. Fetching is one polite GET per page (≤1 request a second to the IfG, on top of
the shared client's robots.txt and rate limit). Parsing is in `ministers_reflect_page.py`.

© Institute for Government (not OGL): raw pages stay in the local archive.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Callable
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from extractors.base import ItemRef, RawItem, fetch_url
from extractors.errors import GoneError
from extractors.http import HostRateLimiter, HttpClient
from extractors.ministers_reflect_page import SITE, SOURCE, parse_page, slug_of
from extractors.passage import Document, clean_text
from extractors.htmlsafe import soup as html_soup

INDEX_PATH = "/ministers-reflect"
MAX_PAGES = 200
_CARD_DATE = re.compile(r"\b(?P<day>\d{1,2})\s+(?P<month>JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*"
                        r"\.?\s+(?P<year>\d{4})\b", re.I)
_DISPLAYING = re.compile(r"Displaying\s+(?P<first>\d+)\s*[-–]\s*(?P<last>\d+)\s+of\s+(?P<total>\d+)", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NOT_INTERVIEWS = {"about-this-project", "quote-bank", "quotes", "search"}


@dataclass(frozen=True)
class Card:
    """One interview as the index lists it."""

    slug: str
    url: str
    name: str
    published: date
    summary: str

    @property
    def cursor(self) -> str:
        return f"{self.published.isoformat()}|{self.slug}"


@dataclass(frozen=True)
class IndexPage:
    cards: list[Card]
    first: int | None = None
    last: int | None = None
    total: int | None = None

    @property
    def is_last(self) -> bool:
        return not self.cards or (self.last is not None and self.total is not None and self.last >= self.total)


def index_url(page: int, site: str = SITE) -> str:
    return f"{site}{INDEX_PATH}" + (f"?page={page}" if page else "")


def _card_date(text: str) -> date | None:
    match = _CARD_DATE.search(text)
    if not match:
        return None
    try:
        return date(int(match["year"]), _MONTHS.index(match["month"][:3].lower()) + 1, int(match["day"]))
    except ValueError:
        return None


def _interview_slug(href: str) -> str | None:
    slug = slug_of(urlsplit(href).path)
    return slug if slug and slug not in _NOT_INTERVIEWS and "?" not in href else None


def _card_of(link: Tag, slug: str) -> Tag | None:
    """The smallest ancestor of a link that holds a card date and links to this interview only."""
    for parent in link.parents:
        if parent.name in ("body", "html", "[document]", "main"):
            return None
        slugs = {_interview_slug(a.get("href", "")) for a in parent.find_all("a", href=True)} - {None}
        if slugs - {slug}:
            return None
        if _card_date(parent.get_text(" ")):
            return parent
    return None


def _summary(card: Tag, name: str) -> str:
    """The card's longest paragraph that is neither its name nor its date line."""
    texts = [clean_text(p.get_text(" ")) for p in card.find_all("p")]
    texts = [t for t in texts if t and t != name and not _CARD_DATE.match(t)]
    return max(texts, key=len, default="")


def parse_index(raw: bytes, base_url: str = SITE) -> IndexPage:
    """The cards of one index page, in page order, with the 'Displaying a - b of n' counts."""
    soup = html_soup(raw, base_url)
    root = soup.find("main") or soup.body or soup
    cards: dict[str, Card] = {}
    for link in root.find_all("a", href=True):
        slug = _interview_slug(link["href"])
        if not slug or slug in cards:
            continue
        card = _card_of(link, slug)
        if card is None:
            continue
        names = [clean_text(a.get_text(" ")) for a in card.find_all("a", href=True)
                 if _interview_slug(a["href"]) == slug and clean_text(a.get_text(" "))]
        name = names[0] if names else slug.replace("-", " ").title()
        summary = _summary(card, name)
        cards[slug] = Card(slug, urljoin(base_url, link["href"]), name, _card_date(card.get_text(" ")), summary)
    counts = _DISPLAYING.search(clean_text(root.get_text(" ")))
    first, last, total = (int(counts[k]) for k in ("first", "last", "total")) if counts else (None, None, None)
    return IndexPage(list(cards.values()), first, last, total)


class MinistersReflectExtractor:
    """The `ministers_reflect` source."""

    source = SOURCE

    def __init__(self, site: str = SITE, requests_per_second: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.site = site.rstrip("/")
        self.limiter = HostRateLimiter(requests_per_second, sleep=sleep)
        self.notes: list[str] = []

    def cursor_from_date(self, day: date) -> str:
        return day.isoformat()

    def _get(self, client: HttpClient, url: str) -> bytes:
        if client.limiter.interval > 0:  # live: the IfG asks for at most one request a second
            self.limiter.wait(urlsplit(url).netloc)
        return client.get(url, source=SOURCE).data

    def discover(self, client: HttpClient, since: str | None) -> list[ItemRef]:
        """Cards newer than the watermark, paging back until a page reaches a day before it."""
        since_day = since[:10] if since else None
        found: dict[str, Card] = {}
        for number in range(MAX_PAGES):
            try:
                page = parse_index(self._get(client, index_url(number, self.site)), self.site)
            except GoneError:
                if number == 0:
                    raise
                break
            for card in page.cards:
                if (since is None or card.cursor > since) and card.slug not in found:
                    found[card.slug] = card
            dates = [c.published.isoformat() for c in page.cards]
            if page.is_last or (since_day and dates and min(dates) < since_day):  # newest first: the rest is older
                break
        else:
            self.notes.append(f"ministers_reflect: stopped after {MAX_PAGES} index pages")
        refs = [ItemRef(source=SOURCE, item_id=c.slug, url=c.url, cursor=c.cursor,
                        meta={"published": c.published.isoformat(), "name": c.name, "summary": c.summary,
                              "document_id": f"{SOURCE}:{c.slug}"})
                for c in found.values()]
        return sorted(refs, key=lambda r: r.cursor)

    def fetch(self, client: HttpClient, ref: ItemRef) -> RawItem:
        if client.limiter.interval > 0:
            self.limiter.wait(urlsplit(ref.url).netloc)
        return fetch_url(client, ref)

    def parse(self, raw: RawItem) -> Document:
        """Parse the page; the publication date comes from the index card that listed it."""
        published = raw.ref.meta.get("published")
        return parse_page(raw.data, raw.ref.item_id, url=raw.ref.url,
                          published=date.fromisoformat(published) if published else None)
