"""The invented books of the sample library: what each is, and its EPUB and sidecar.

`build_book` writes the paragraphs in reading order, asking `compose(day)` for each one, so
that the n-th call is the n-th passage the library parser produces.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from sample_archive.epub_writer import Book, Item, build_epub, text
from sample_archive.people import PARTIES, Person

CHAPTER_TITLES = ("Arrival", "The Private Office", "Boxes", "Spending Rounds", "Crisis", "Reshuffle",
                  "The Select Committee", "Delivery", "Last Days", "Afterwards")


@dataclass(frozen=True)
class BookSpec:
    path: str  # where it sits in the library folder
    book_id: str
    title: str
    kind: str  # memoir | diary
    published: date
    period: tuple[str, str]
    author: str | None = None  # None: a former office-holder from people.py
    role: str | None = None  # None: the sidecar leaves the default (author)
    chapters: int = 5
    per_chapter: int = 12


BOOKS = (
    BookSpec("memoirs/the-long-corridor.epub", "the-long-corridor", "The Long Corridor: A Minister's Memoir",
             "memoir", date(2017, 10, 5), ("2010", "2017")),
    BookSpec("memoirs/inside-the-machine.epub", "inside-the-machine", "Inside the Machine",
             "memoir", date(2020, 6, 18), ("2012", "2019"), author="Honoria Westacott", chapters=6, per_chapter=10),
    BookSpec("diaries/a-year-in-the-department.epub", "a-year-in-the-department", "A Year in the Department: Diaries",
             "diary", date(2023, 3, 9), ("2020-09-01", "2021-08-31"), chapters=4, per_chapter=9),
    BookSpec("memoirs/after-the-blob.epub", "after-the-blob", "After the Blob", "memoir", date(2026, 5, 21),
             ("2019", "2025"), role="peer", chapters=4, per_chapter=11),
)


def _author(spec: BookSpec, people: list[Person], rng: random.Random) -> Person | None:
    if spec.author:
        return None
    if spec.role == "peer":
        pool = [p for p in people if p.house == "lords" and p.party != "crossbench"]
    else:
        pool = [p for p in people if p.house == "commons"
                and any(e < spec.published and not r.startswith("Shadow") for _, e, r, _ in p.offices)]
    return rng.choice(sorted(pool, key=lambda p: p.person_id))


def _noteref(number: int) -> str:
    return f'<a href="endnotes.xhtml#note-{number}" id="noteref-{number}" epub:type="noteref">{number}</a>'


def _chapters(spec: BookSpec, rng: random.Random, compose: Callable[[date], str]) -> tuple[list[Item], list[str]]:
    items: list[Item] = []
    notes: list[str] = []
    page = 1
    for number in range(1, spec.chapters + 1):
        heading = CHAPTER_TITLES[(number - 1) % len(CHAPTER_TITLES)]
        body = [f'\t\t<section id="chapter-{number}" epub:type="chapter">',
                f'\t\t\t<h2 epub:type="title">{number}. {text(heading)}</h2>']
        for index in range(spec.per_chapter):
            if index % 4 == 0:
                page += rng.randint(1, 3)
                body.append(f'\t\t\t<span epub:type="pagebreak" id="page-{page}" title="{page}"/>')
            ref = ""
            if rng.random() < 0.1:
                notes.append(f"A note on {heading.lower()} added for this edition.")
                ref = _noteref(len(notes))
            body.append(f"\t\t\t<p>{text(compose(spec.published))}{ref}</p>")
        body.append("\t\t</section>")
        items.append(Item(f"text/chapter-{number}.xhtml", heading, "\n".join(body)))
    return items, notes


def _diary(spec: BookSpec, rng: random.Random, compose: Callable[[date], str]) -> tuple[list[Item], list[str]]:
    items: list[Item] = []
    notes: list[str] = []
    day = date.fromisoformat(spec.period[0])
    for number in range(1, spec.chapters + 1):
        month = day.strftime("%B %Y")
        body = [f'\t\t<section id="chapter-{number}" epub:type="chapter z3998:diary">',
                f'\t\t\t<h2 epub:type="title">{text(month)}</h2>']
        for _ in range(spec.per_chapter):
            day += timedelta(days=rng.randint(2, 4))
            entry = f"entry-{day.year}-{day.month}-{day.day}"
            body.append(f'\t\t\t<article id="{entry}" epub:type="z3998:diary-entry">')
            for paragraph in range(rng.choice((1, 1, 2))):
                stamp = (f'<time datetime="{day.isoformat()}">{day.strftime("%A")} {day.day} {day.strftime("%B")}</time>. '
                         if paragraph == 0 else "")
                ref = ""
                if rng.random() < 0.15:
                    notes.append(f"The meeting of {day.day} {day.strftime('%B')} is described from the author's notes.")
                    ref = _noteref(len(notes))
                body.append(f"\t\t\t\t<p>{stamp}{text(compose(spec.published))}{ref}</p>")
            body.append("\t\t\t</article>")
        body.append("\t\t</section>")
        items.append(Item(f"text/chapter-{number}.xhtml", month, "\n".join(body)))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return items, notes


def build_book(spec: BookSpec, people: list[Person], rng: random.Random,
               compose: Callable[[date], str]) -> tuple[bytes, dict]:
    """The EPUB's bytes and its sidecar (as a dict)."""
    person = _author(spec, people, rng)
    author = spec.author or f"{person.given} {person.family}"
    titlepage = Item("text/titlepage.xhtml", "Titlepage",
                     f'\t\t<section id="titlepage" epub:type="titlepage">\n\t\t\t<h1 epub:type="title">{text(spec.title)}</h1>\n'
                     f"\t\t\t<p>{text(author)}</p>\n\t\t</section>", body_type="frontmatter")
    items, notes = (_diary if spec.kind == "diary" else _chapters)(spec, rng, compose)
    endnotes = []
    if notes:
        entries = "\n".join(f'\t\t\t\t<li id="note-{i}" epub:type="endnote"><p>{text(n)} '
                            f'<a href="#noteref-{i}" epub:type="backlink">↩</a></p></li>' for i, n in enumerate(notes, 1))
        endnotes = [Item("text/endnotes.xhtml", "Endnotes",
                         f'\t\t<section id="endnotes" epub:type="endnotes">\n\t\t\t<h2 epub:type="title">Endnotes</h2>\n'
                         f"\t\t\t<ol>\n{entries}\n\t\t\t</ol>\n\t\t</section>", body_type="backmatter")]
    book = Book(f"urn:whitehall-sample:{spec.book_id}", spec.title, author, spec.published.isoformat(),
                [titlepage, *items, *endnotes])
    sidecar = {"id": spec.book_id, "title": spec.title, "author": author, "published": spec.published.isoformat(),
               "period_from": spec.period[0], "period_to": spec.period[1], "kind": spec.kind}
    if person is not None:
        sidecar["author_id"] = person.person_id
    if spec.role:
        sidecar["role"] = spec.role
        sidecar["party"] = PARTIES[person.party] if person else None
    return build_epub(book), sidecar
