"""`whitehall annotate`: the interactive annotation queue in the terminal (rich, single keys).

The screen shows the passage, the sentences before it, who said it and when, and the current
model's suggestion (probability, decision and evidence per label). Keys set the labels; Enter
saves the answer at once (warehouse/annotation_store.py) and moves on. The answer starts empty
rather than from the suggestion, so that the suggestion is something to check, not to accept.
"""

from __future__ import annotations

import os
import sys
import termios
import tty
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from classifiers.codebook import CODEBOOK_VERSION, EXPLICIT_FLAG, FRAMES
from warehouse.access import connect
from warehouse.annotation_queue import QueueConfig, QueueItem, draw_gold, item_view, next_items
from warehouse.annotation_store import Annotation, AnnotationWriter, now_utc
from warehouse.db import open_db
from warehouse.publish import WarehouseBusyError, WriteLock, prepare_work_db

FRAME_KEYS = {str(i): frame for i, frame in enumerate(FRAMES, start=1)}
HELP = ("keys: [r] relevant  " + "  ".join(f"[{k}] {f}" for k, f in FRAME_KEYS.items())
        + "  [e] explicit  [m] take the model's suggestion  [Enter] save  [n] skip  [q] quit")


@dataclass
class Answer:
    relevant: bool = False
    frames: set[str] = field(default_factory=set)
    explicit: bool = False

    def press(self, key: str, suggestion: dict) -> None:
        """Apply one key: toggles; a frame or the explicit flag implies relevance."""
        if key == "r":
            self.relevant = not self.relevant
        elif key in FRAME_KEYS:
            self.frames ^= {FRAME_KEYS[key]}
            self.relevant = self.relevant or bool(self.frames)
        elif key == "e":
            self.explicit = not self.explicit
            self.relevant = self.relevant or self.explicit
        elif key == "m":
            decided = {label for label, (_, decision, _) in suggestion.items() if decision}
            self.relevant = "relevant" in decided
            self.frames = decided & set(FRAMES)
            self.explicit = EXPLICIT_FLAG in decided

    def line(self) -> str:
        frames = ",".join(f for f in FRAMES if f in self.frames) if self.relevant else ""
        return (f"answer: relevant={'yes' if self.relevant else 'no'} frames={frames or '-'} "
                f"explicit={'yes' if self.relevant and self.explicit else 'no'}")


@contextmanager
def queue_connection(db_path: Path, wait_s: float) -> Iterator[tuple[duckdb.DuckDBPyConnection, bool]]:
    """The working database under the write lock (writable), or the published snapshot if a run holds it."""
    lock = WriteLock(db_path, wait_s=wait_s)
    try:
        lock.__enter__()
    except WarehouseBusyError:
        con = connect(db_path)
        try:
            yield con, False
        finally:
            con.close()
        return
    try:
        con = open_db(prepare_work_db(db_path))
        try:
            yield con, True
        finally:
            con.close()
    finally:
        lock.__exit__()


def read_key(fd: int) -> str:
    """One key press (Enter as '\\n'); Ctrl-C and end of input read as 'q'."""
    data = os.read(fd, 1)
    if not data or data in (b"\x03", b"\x04"):
        return "q"
    if data == b"\x1b":  # an escape sequence (arrows): ignore it
        return ""
    key = data.decode("utf-8", "ignore")
    return "\n" if key in ("\r", "\n") else key.lower()


@contextmanager
def cbreak(fd: int) -> Iterator[None]:
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def screen(item: QueueItem, view, answer: Answer, position: str, annotator: str, hide: bool) -> Group:
    """One item's screen."""
    head = Text(f"Whitehall annotation · {annotator} · {position} · {item.note}", style="bold")
    who = (f"{view.speaker or 'unknown speaker'} ({view.role}{', ' + view.party if view.party else ''}) · "
           f"{view.date} · {view.source_type}")
    parts = [head, Text(who + (f" · {view.url}" if view.url else ""), style="cyan")]
    if view.context:
        parts.append(Panel(view.context, title="context (before)", border_style="dim", style="dim"))
    parts.append(Panel(view.text, title="passage", border_style="white"))
    if not hide and view.suggestion:
        table = Table(title=f"model suggestion ({view.model_version})", show_edge=False)
        for column in ("key", "label", "P", "model", "evidence"):
            table.add_column(column, overflow="fold")
        keys = {"relevant": "r", **{f: k for k, f in FRAME_KEYS.items()}, EXPLICIT_FLAG: "e"}
        for label in ("relevant", *FRAMES, EXPLICIT_FLAG):
            if label in view.suggestion:
                p, decision, evidence = view.suggestion[label]
                table.add_row(keys[label], label, f"{p:.2f}", "yes" if decision else "", evidence or "")
        parts.append(table)
    parts.append(Text(answer.line(), style="bold green"))
    parts.append(Text(HELP, style="dim"))
    return Group(*parts)


@dataclass
class SessionSummary:
    saved: Counter = field(default_factory=Counter)
    skipped: int = 0
    pending: int = 0
    published: bool = False


def run_session(console: Console, db_path: Path, annotator: str, config: QueueConfig, limit: int,
                hide_suggestion: bool = False, lock_wait_s: float = 5.0, fd: int | None = None) -> SessionSummary:
    """Serve items until `limit` answers, the queue runs dry, or the annotator quits."""
    fd = sys.stdin.fileno() if fd is None else fd
    writer = AnnotationWriter(db_path, f"{annotator}-{uuid.uuid4().hex[:10]}", lock_wait_s=lock_wait_s)
    summary = SessionSummary()
    seen: set[str] = set()
    done = False
    with queue_connection(db_path, lock_wait_s) as (con, writable):
        if writable and draw_gold(con, config):
            writer.dirty = True
    with cbreak(fd):
        while not done and sum(summary.saved.values()) < limit:
            with queue_connection(db_path, lock_wait_s) as (con, _):
                batch = next_items(con, annotator, config, n=10, exclude=seen)
                views = [(item, item_view(con, item)) for item in batch]
            views = [(item, view) for item, view in views if view is not None]
            if not views:
                console.print(f"nothing left to annotate for {annotator}")
                break
            for item, view in views:
                seen.add(item.passage_id)
                answer = Answer()
                position = f"answer {sum(summary.saved.values()) + 1} of up to {limit}"
                while True:
                    console.clear()
                    console.print(screen(item, view, answer, position, annotator, hide_suggestion))
                    key = read_key(fd)
                    if key == "q":
                        done = True
                        break
                    if key == "n":
                        summary.skipped += 1
                        break
                    if key == "\n":
                        result = writer.save(Annotation(
                            passage_id=item.passage_id, content_hash=item.content_hash, annotator=annotator,
                            relevant=answer.relevant, frames=sorted(answer.frames),
                            explicit_trait_vocabulary=answer.explicit, codebook_version=CODEBOOK_VERSION,
                            stream=item.stream, sample_design=item.sample_design, p_inclusion=item.p_inclusion,
                            model_version=view.model_version, session_id=writer.session_id,
                            annotated_at=now_utc(), text=view.text, context=view.context))
                        summary.saved[item.stream] += 1
                        summary.pending = result.pending
                        console.print(f"saved ({sum(summary.saved.values())} this session)"
                                      + ("" if result.stored else " — waiting in the journal while a run writes"))
                        break
                    answer.press(key, view.suggestion)
                if done or sum(summary.saved.values()) >= limit:
                    done = True
                    break
    console.print("storing and publishing…")
    closed = writer.close()
    summary.pending = closed.pending
    summary.published = writer.published
    return summary
