"""Write sittings in the exact current ParlParse XML format (as debates2023-03-28d.xml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

GID_KIND = {"debates": "debate", "westminhall": "westminhall", "lordspages": "lords",
            "wms": "wms", "lordswms": "wms"}
PREFIX = {"debates": "debates", "westminhall": "westminster", "lordspages": "daylord",
          "wms": "ministerial", "lordswms": "lordswms"}


@dataclass
class Speech:
    speaker: object | None  # sample_archive.people.Person, or None for procedural text
    type: str
    paragraphs: list[str]
    italic: bool = False


@dataclass
class Debate:
    heading: str
    minor: str | None
    speeches: list[Speech] = field(default_factory=list)
    division: bool = False


def file_name(directory: str, day: date, version: str) -> str:
    return f"{PREFIX[directory]}{day.isoformat()}{version}.xml"


def render_sitting(directory: str, day: date, version: str, debates: list[Debate],
                   first_column: int) -> bytes:
    """The XML bytes of one sitting, with gids, pids and column numbers like the real files."""
    kind = GID_KIND[directory]
    letter = version
    column = first_column
    lines = ['<publicwhip scraperversion="d" latest="yes">']

    def gid(n: int) -> str:
        return f"uk.org.publicwhip/{kind}/{day.isoformat()}{letter}.{column}.{n}"

    n = 0
    for debate in debates:
        lines.append(f'  <major-heading id="{gid(n)}" nospeaker="true" colnum="{column}" time="" url="">\n'
                     f"{escape(debate.heading)}\n</major-heading>")
        n += 1
        if debate.minor:
            lines.append(f'  <minor-heading id="{gid(n)}" nospeaker="true" colnum="{column}" time="" url="">\n'
                         f"{escape(debate.minor)}\n</minor-heading>")
            n += 1
        for speech in debate.speeches:
            speech_gid = gid(n)
            if speech.speaker is None:
                attrs = f'id="{speech_gid}" nospeaker="true" colnum="{column}" time="" url=""'
            else:
                attrs = (f'id="{speech_gid}" speakername={quoteattr(speech.speaker.name)} '
                         f'type={quoteattr(speech.type)} person_id="{speech.speaker.person_id}" '
                         f'colnum="{column}" time="" url=""')
            lines.append(f"  <speech {attrs}>")
            for k, text in enumerate(speech.paragraphs, 1):
                cls = ' class="italic"' if speech.italic else ""
                lines.append(f'    <p pid="{letter}{column}.{n}/{k}"{cls}>{escape(text)}</p>')
            lines.append("  </speech>")
            n += 1
            if n > 9:
                column, n = column + 1, 0
        if debate.division:
            lines.append(f'  <division id="{gid(n)}" nospeaker="true" divdate="{day.isoformat()}" '
                         f'divnumber="{column}" colnum="{column}" time="" url="">\n'
                         f'    <divisioncount content="0" not-content="0" ayes="301" noes="256" tellerayes="2" tellernoes="2"/>\n'
                         "  </division>")
            n += 1
    lines.append("</publicwhip>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_superseded(directory: str, day: date, old: str, new: str, gids: list[str]) -> bytes:
    """An older version rewritten as ParlParse does: latest='no', gidredirects to the new gids."""
    lines = ['<publicwhip scraperversion="d" latest="no">']
    for g in gids:
        old_gid = g.replace(f"{day.isoformat()}{new}.", f"{day.isoformat()}{old}.")
        lines.append(f'<gidredirect oldgid="{old_gid}" newgid="{g}" matchtype="perfectmatch"/>')
    lines.append("</publicwhip>")
    return ("\n".join(lines) + "\n").encode("utf-8")
