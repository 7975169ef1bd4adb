"""Rich progress bars fed by the pipeline's `whitehall.progress` log records."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class _ProgressHandler(logging.Handler):
    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.INFO)
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        source = getattr(record, "source", None)
        if source is None:
            return
        total, done = getattr(record, "total", None), getattr(record, "done", 0)
        if source not in self.tasks:
            self.tasks[source] = self.progress.add_task(source, total=total or None)
        self.progress.update(self.tasks[source], completed=done, total=total or None)


@contextmanager
def pipeline_progress(console: Console) -> Iterator[None]:
    """Show a bar per source while the block runs."""
    progress = Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=False)
    logger = logging.getLogger("whitehall.progress")
    handler = _ProgressHandler(progress)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with progress:
            yield
    finally:
        logger.removeHandler(handler)
