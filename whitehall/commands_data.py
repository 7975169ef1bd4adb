"""CLI commands that work on files: parse, sample."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console

from extractors.errors import ExtractorError, SkipItem
from extractors.local_files import parse_local
from whitehall.settings import Settings


def parse_files(console: Console, files: list[Path], output: Path | None, source: str | None) -> int:
    """Write passage JSONL for every file that parses; report the others. Exit 1 if none did."""
    err = Console(stderr=True)
    handle = open(output, "w", encoding="utf-8") if output else sys.stdout
    parsed = passages = 0
    try:
        for path in files:
            try:
                document = parse_local(path, source)
            except SkipItem as exc:
                err.print(f"[yellow]skipped[/] {path}: {exc}")
                continue
            except ExtractorError as exc:
                err.print(f"[red]error[/] {exc}")
                continue
            for passage in document.passages:
                handle.write(json.dumps(passage.to_json_record(), ensure_ascii=False) + "\n")
            parsed += 1
            passages += len(document.passages)
    finally:
        if output:
            handle.close()
    err.print(f"{passages} passages from {parsed} of {len(files)} files"
              + (f" → {output}" if output else ""))
    return 0 if parsed or not files else 1


def build_sample(console: Console, archive_dir: Path | None, force: bool) -> None:
    from sample_archive.generate import build

    target = archive_dir or Settings().archive_path
    if (target / "index.sqlite").exists() and not force:
        console.print(f"sample archive already at {target} (use --force to rebuild)")
        return
    if force and target.exists():
        import shutil

        shutil.rmtree(target)
    stats = build(target)
    console.print(f"[green]sample archive[/] written to {target}: {stats['documents']} documents, "
                  f"{stats['passages']} passages ({stats['relevant']} about the civil service). "
                  "All text is synthetic.")
