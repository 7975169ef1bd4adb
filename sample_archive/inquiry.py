"""Invented statutory inquiry hearing days in the reStructuredText layout of the Covid-19 Inquiry files.

Two hearing days, each a witness examined by counsel, served where the `inquiry` source lists
them: the GitHub contents listings of the repository root and of its `module-2` folder, and the
raw files at their `download_url`. The witnesses are invented, so the role table does not know
them and their role is `unknown`, as it would be for anyone real who is not in it.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date

from extractors.archive import RawArchive
from extractors.http import canonical_url
from extractors.inquiry import CONTENTS_URL
from sample_archive.compose import AS_OF, Composed, compose_irrelevant, compose_relevant, truth_row
from sample_archive.people import FAMILY, GIVEN
from sample_archive.schedule import frame_shares

SOURCE = "inquiry"
MODULE = "module-2"
DAYS = (date(2024, 2, 6), date(2024, 2, 7))
RAW_BASE = "https://raw.githubusercontent.com/dracos/uk-covid19-inquiry/main"
CHAIR = "Lady Ashcombe"  # an invented chair


def _underline(text: str, mark: str) -> str:
    return f"{text}\n{mark * len(text)}\n"


def hearing_day(day: date, rng: random.Random) -> tuple[bytes, list[Composed]]:
    """One hearing day: a witness section, counsel's questions and the witness's answers."""
    given, family = rng.choice(GIVEN[1::2]), rng.choice(FAMILY[1::2])
    witness = f"Ms {given} {family}"
    shares = frame_shares(day.year, (day.month - 1) // 3 + 1)
    composed: list[Composed] = []
    lines = [_underline(f"{day.day} {day:%B %Y}", "="), "*(10.00 am)*\n", _underline(witness, "-"),
             f"*{witness.upper()} (affirmed).*\n", _underline("Questions From Counsel to the Inquiry", "^")]

    def turn(label: str) -> None:
        passage = compose_relevant(rng, shares) if rng.random() < 0.5 else compose_irrelevant(rng)
        composed.append(passage)
        lines.append(f"**{label}**: {passage.text}\n")

    turn(CHAIR)
    for number in range(rng.randint(12, 16)):
        turn("Counsel Inquiry")
        turn("The Witness" if number % 3 == 0 else f"Ms {family}")
    lines.append("*(1.00 pm)*\n")
    lines.append("*(The hearing adjourned until 10 am the following day)*\n")
    return "\n".join(lines).encode("utf-8"), composed


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _entry(path: str, kind: str, data: bytes = b"") -> dict:
    sha = _blob_sha(data) if kind == "file" else hashlib.sha1(path.encode()).hexdigest()
    return {"name": path.rsplit("/", 1)[-1], "path": path, "sha": sha, "size": len(data), "type": kind,
            "url": f"{CONTENTS_URL}/{path}?ref=main",
            "html_url": f"https://github.com/dracos/uk-covid19-inquiry/{'blob' if kind == 'file' else 'tree'}/main/{path}",
            "git_url": None, "download_url": f"{RAW_BASE}/{path}" if kind == "file" else None}


def write(archive: RawArchive, people: list, seed: int) -> list[dict]:
    """Record the hearing days, the folder listing and the root listing; return the truth rows."""
    rng = random.Random(seed * 11 + 5)
    truth: list[dict] = []
    files = []
    for day in DAYS:
        data, composed = hearing_day(day, rng)
        path = f"{MODULE}/{day.isoformat()}.rst"
        archive.record(canonical_url(f"{RAW_BASE}/{path}"), data, fetched_at=f"{day.isoformat()}T18:00:00+00:00",
                       content_type="text/plain; charset=utf-8", source=SOURCE)
        files.append(_entry(path, "file", data))
        truth.extend(truth_row(SOURCE, f"{MODULE}/{day.isoformat()}", i, day, c) for i, c in enumerate(composed))
    files.append(_entry(f"{MODULE}/index.rst", "file", b"Module 2\n========\n"))
    root = [_entry("conf.py", "file", b"project = 'sample'\n"), _entry(MODULE, "dir")]
    for url, listing in ((CONTENTS_URL, root), (f"{CONTENTS_URL}/{MODULE}", files)):
        archive.record(canonical_url(url), json.dumps(listing, indent=1).encode(), fetched_at=AS_OF,
                       content_type="application/json; charset=utf-8", source=SOURCE)
    return truth
