"""Render invented Ministers Reflect index and interview pages in the IfG site's layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from extractors.ministers_reflect_page import SITE

PER_PAGE = 10
_HEADER = """<header class="site-header" role="banner">
  <a href="/" class="site-logo" rel="home">Institute for Government</a>
  <p class="site-slogan">Working to make government more effective</p>
  <nav class="main-menu" aria-label="Main"><ul>
    <li><a href="/research">Research</a></li><li><a href="/ministers-reflect">Ministers Reflect</a></li>
    <li><a href="/events">Events</a></li><li><a href="/about-us">About us</a></li>
  </ul></nav>
</header>"""
_FOOTER = """<footer class="site-footer" role="contentinfo">
  <p>Institute for Government (synthetic sample page: every name and word on it is invented).</p>
  <p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p>
</footer>"""


@dataclass
class SpokenTurn:
    initials: str
    paragraphs: list[str]
    heading: str | None = None  # a topic subheading before the turn
    pull_quote: str | None = None  # a sentence of the turn repeated as a pull quote after it


@dataclass
class Interview:
    slug: str
    name: str  # the page heading
    full_names: dict[str, str]  # initials → the name used in turn labels
    interviewee: str  # initials
    published: date
    interview_date: date | None
    summary: str
    caption: str
    bio: list[str]
    turns: list[SpokenTurn] = field(default_factory=list)
    new_style_url: bool = False

    @property
    def path(self) -> str:
        return f"/ministers-reflect/{self.slug}" if self.new_style_url else f"/ministers-reflect/person/{self.slug}/"

    @property
    def url(self) -> str:
        return SITE + self.path


def _page(title: str, canonical: str, body_class: str, main: str) -> bytes:
    return (f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>{escape(title)} | Institute for Government</title>
  <link rel="canonical" href={quoteattr(canonical)}>
</head>
<body class={quoteattr(body_class)}>
<a href="#main-content" class="visually-hidden focusable">Skip to main content</a>
{_HEADER}
<main role="main" id="main-content">
{main}
</main>
{_FOOTER}
</body>
</html>
""").encode("utf-8")


def _card(interview: Interview) -> str:
    day = interview.published
    return f"""      <div class="views-row">
        <article class="card card--interview">
          <a href="{escape(interview.path)}" class="card__image" tabindex="-1"><img src="/sites/default/files/styles/card/public/{escape(interview.slug)}.jpg" alt="{escape(interview.name)}"></a>
          <div class="card__meta"><time datetime="{day.isoformat()}T12:00:00Z">{day.day:02d} {day.strftime('%b').upper()} {day.year}</time> <span class="card__type">Interview</span></div>
          <h3 class="card__title"><a href="{escape(interview.path)}">{escape(interview.name)}</a></h3>
          <p class="card__summary">{escape(interview.summary)}</p>
        </article>
      </div>"""


def index_page(interviews: list[Interview], page: int) -> bytes:
    """One index page (0-based) of interviews ordered newest first."""
    total = len(interviews)
    chunk = interviews[page * PER_PAGE:(page + 1) * PER_PAGE]
    first, last = page * PER_PAGE + 1, page * PER_PAGE + len(chunk)
    pager = []
    if page > 0:
        pager.append(f'<li class="pager__item pager__item--previous"><a href="?page={page - 1}" rel="prev">Previous page</a></li>')
    if last < total:
        pager.append(f'<li class="pager__item pager__item--next"><a href="?page={page + 1}" rel="next">Next page</a></li>')
    cards = "\n".join(_card(i) for i in chunk)
    main = f"""<div class="hero">
  <h1 class="page-title">Ministers Reflect</h1>
  <p class="standfirst">Interviews with former ministers on what the job is really like and how to do it well.</p>
</div>
<div class="text-content">
  <p>This sample archive holds invented interviews in the layout of the Ministers Reflect archive.</p>
</div>
<h2>Explore all interviews</h2>
<div class="view view-ministers-reflect">
  <div class="view-filters"><form action="/ministers-reflect" method="get"><label for="f">Filter:</label><input id="f" name="name"></form></div>
  <div class="view-header"><p>Displaying {first} - {last} of {total}</p></div>
  <div class="view-content">
{cards}
  </div>
  <nav class="pager" role="navigation" aria-label="Pagination"><ul class="pager__items">{''.join(pager)}</ul></nav>
</div>"""
    canonical = f"{SITE}/ministers-reflect" + (f"?page={page}" if page else "")
    return _page("Ministers Reflect", canonical, "path-ministers-reflect", main)


def _turn_html(turn: SpokenTurn, label: str) -> list[str]:
    out = []
    if turn.heading:
        out.append(f"    <h2>{escape(turn.heading)}</h2>")
    first, *rest = turn.paragraphs
    out.append(f"    <p><strong>{escape(label)}:</strong> {escape(first)}</p>")
    out.extend(f"    <p>{escape(p)}</p>" for p in rest)
    if turn.pull_quote:
        out.append(f'    <blockquote class="pull-quote"><p>“{escape(turn.pull_quote)}”</p></blockquote>')
    return out


def interview_page(interview: Interview) -> bytes:
    """The interview page: label, name, date sentence or summary, photo, bio, transcript."""
    if interview.interview_date:
        d = interview.interview_date
        lead = (f"{interview.name} was interviewed on {d.day} {d.strftime('%B')} {d.year} for the "
                f"Institute for Government’s Ministers Reflect project.")
    else:
        lead = interview.summary
    seen: set[str] = set()
    transcript: list[str] = []
    for turn in interview.turns:
        full = interview.full_names[turn.initials]
        label = turn.initials if turn.initials in seen else f"{full} ({turn.initials})"
        seen.add(turn.initials)
        transcript.extend(_turn_html(turn, label))
    bio = "\n".join(f"    <p>{escape(p)}</p>" for p in interview.bio)
    main = f"""<article class="node node--type-ministers-reflect node--view-mode-full">
  <div class="hero hero--interview">
    <span class="hero__label">Interview</span>
    <h1 class="page-title">{escape(interview.name)}</h1>
    <div class="hero__standfirst"><p>{escape(lead)}</p></div>
  </div>
  <figure class="media media--image">
    <img src="/sites/default/files/styles/hero/public/{escape(interview.slug)}.jpg" alt="{escape(interview.name)}">
    <figcaption>{escape(interview.caption)}</figcaption>
  </figure>
  <div class="field field--name-body">
{bio}
{chr(10).join(transcript)}
  </div>
  <div class="node__downloads"><p><a href="/sites/default/files/ministers-reflect-{escape(interview.slug)}.pdf">Download the transcript (PDF)</a></p></div>
</article>
<section class="related-content"><h2>Related content</h2><p>More interviews from the Ministers Reflect archive.</p></section>"""
    return _page(interview.name, interview.url, "path-node page-node-type-ministers-reflect", main)
