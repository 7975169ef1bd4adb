"""CLI commands for researchers: sql, search, similar, embed, export, agreement.

The typer signatures come first (whitehall/cli.py registers them, one line each); the work
is in the `run_*` functions below them.
"""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from warehouse import safe_sql
from warehouse.access import connect
from whitehall.output import emit, render
from whitehall.params import iso_date
from whitehall.settings import Settings

err = Console(stderr=True)
console = Console() if sys.stdout.isatty() else Console(width=160)
PASSAGE_ID = re.compile(r"^p[0-9a-f]{19}$")
FormatOption = typer.Option("table", "--format", help="table, csv or json.")
OutputOption = typer.Option(None, "-o", "--output", help="Write the result here instead of stdout.")


def sql(
    query: Optional[str] = typer.Argument(None, help="One SELECT query (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from this file."),
    fmt: str = FormatOption,
    output: Optional[Path] = OutputOption,
    max_rows: int = typer.Option(200, "--max-rows", help="Rows shown in table format."),
) -> None:
    """Run a read-only query on the published warehouse.  Example: [bold]whitehall sql "SELECT source_type, count(*) FROM v_passages GROUP BY 1" --format csv[/]"""
    if (query is None) == (file is None):
        raise typer.BadParameter("give a QUERY or --file, not both")
    text = query if query is not None else file.read_text(encoding="utf-8")
    raise typer.Exit(run_sql(console, text, _format(fmt), output, max_rows))


def search(
    phrase: str = typer.Argument(..., help="Words (searched as a phrase) or a tantivy query."),
    frame: Optional[str] = typer.Option(None, "--frame", help="Only passages the current model gives this label."),
    since: Optional[str] = typer.Option(None, "--from", help="From this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--to", help="Up to this date (YYYY-MM-DD)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="The speaker's name contains these words."),
    source_type: Optional[str] = typer.Option(None, "--source-type", help="speech, debate, committee_evidence or memoir_interview."),
    limit: int = typer.Option(20, "-k", "--limit", help="How many hits."),
    fmt: str = FormatOption,
    output: Optional[Path] = OutputOption,
) -> None:
    """Ranked full-text search, shown as keyword in context.  Example: [bold]whitehall search "deep state" --frame blob --from 2023-01-01[/]"""
    from classifiers.labelled import LABELS
    from extractors.vocab import SOURCE_TYPES

    if frame is not None and frame not in LABELS:
        raise typer.BadParameter(f"--frame must be one of {', '.join(LABELS)}")
    if source_type is not None and source_type not in SOURCE_TYPES:
        raise typer.BadParameter(f"--source-type must be one of {', '.join(SOURCE_TYPES)}")
    raise typer.Exit(run_search(console, phrase, frame, iso_date(since), iso_date(until), speaker, source_type,
                                limit, _format(fmt), output))


def similar(
    query: str = typer.Argument(..., help="A passage id, or any text."),
    k: int = typer.Option(20, "-k", help="How many neighbours."),
    fmt: str = FormatOption,
    output: Optional[Path] = OutputOption,
) -> None:
    """Passages closest in meaning, by stored embeddings.  Example: [bold]whitehall similar "officials would not tell ministers the truth" -k 10[/]"""
    raise typer.Exit(run_similar(console, query, k, _format(fmt), output))


def embed(limit: Optional[int] = typer.Option(None, "--limit", help="At most this many passage texts.")) -> None:
    """Embed the current passages that lack a vector, then publish.  Example: [bold]whitehall embed[/]"""
    raise typer.Exit(run_embed(console, limit))


def export(
    fmt: str = typer.Option("parquet", "--format", help="parquet or csv."),
    out: Path = typer.Option(..., "--out", help="An empty or new folder."),
    force: bool = typer.Option(False, "--force", help="Replace the folder's contents."),
) -> None:
    """Export the views as files partitioned by year and source type, with the schema.  Example: [bold]whitehall export --format parquet --out export/[/]"""
    raise typer.Exit(run_export(console, fmt, out, force))


def agreement(fmt: str = typer.Option("table", "--format", help="table or json."),
              output: Optional[Path] = OutputOption) -> None:
    """Krippendorff's alpha per label and per annotator pair.  Example: [bold]whitehall agreement[/]"""
    raise typer.Exit(run_agreement(console, fmt, output))


def _format(value: str) -> str:
    from whitehall.output import FORMATS

    if value not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    return value


def run_sql(console: Console, query: str, fmt: str, output: Path | None, max_rows: int) -> int:
    settings = Settings()
    started = time.perf_counter()
    try:
        result = safe_sql.run(settings.db_path, query)
    except safe_sql.RefusedQuery as exc:
        err.print(f"[red]refused:[/] {exc}")
        return 2
    except FileNotFoundError as exc:
        err.print(f"[red]{exc}[/]")
        return 1
    except Exception as exc:  # a query error is the researcher's to fix: show DuckDB's message
        err.print(f"[red]query failed:[/] {exc}")
        return 1
    rows = result.rows
    shown = rows[:max_rows] if fmt == "table" else rows
    emit(console, render(result.columns, shown, fmt), output)
    if fmt == "table":
        more = f" (showing {len(shown)}; use --format csv for all)" if len(rows) > len(shown) else ""
        err.print(f"{len(rows)} rows in {1000 * (time.perf_counter() - started):.0f} ms{more}")
    return 0


def run_search(console: Console, phrase: str, frame: str | None, since: date | None, until: date | None,
               speaker: str | None, source_type: str | None, limit: int, fmt: str, output: Path | None) -> int:
    from warehouse.kwic import kwic
    from warehouse.search_index import SearchIndexMissing, open_index, search

    settings = Settings()
    try:
        index = open_index(settings.search_path)
        started = time.perf_counter()
        total, hits = search(index, phrase, frame=frame, since=since, until=until, speaker=speaker,
                             source_type=source_type, limit=limit)
        elapsed = 1000 * (time.perf_counter() - started)
    except SearchIndexMissing as exc:
        err.print(f"[red]{exc}[/]")
        return 1
    except ValueError as exc:
        err.print(f"[red]{exc}[/]")
        return 2
    if fmt != "table":
        columns = ["passage_id", "score", "date", "speaker", "role", "party", "source_type", "labels",
                   "left", "keyword", "right", "url"]
        rows = [[h.passage_id, round(h.score, 4), h.date, h.speaker, h.role, h.party or None, h.source_type,
                 [x for x in h.labels if x != "relevant"], *kwic(h.text, h.matches), h.url] for h in hits]
        emit(console, render(columns, rows, fmt), output)
    else:
        out = Console(file=open(output, "w", encoding="utf-8"), width=160) if output else console
        side = max(30, (out.width - 24) // 2)
        out.print(f"{total} passages match {phrase!r}" + (f" (the best {len(hits)})" if total > len(hits) else ""))
        for h in hits:
            left, keyword, right = kwic(h.text, h.matches, side)
            line = Text(left.rjust(side), style="dim").append(f" {keyword} ", style="bold reverse")
            out.print(line.append(right, style="dim"), no_wrap=True, overflow="ellipsis")
            labels = [x for x in h.labels if x != "relevant"]
            out.print(Text(" " * 4 + f"{h.speaker or 'unknown speaker'} · {h.date} · {h.source_type}"
                           + (f" · [{', '.join(labels)}]" if labels else "") + f" · {h.url}", style="cyan"),
                      no_wrap=True, overflow="ellipsis", markup=False)
    err.print(f"searched in {elapsed:.1f} ms")
    return 0


def search_encoder_name() -> str:
    """The name of the encoder `similar` and `embed` use, without loading the model."""
    from classifiers.encoder import MINILM, minilm_path, model_fingerprint

    return f"{MINILM}@{model_fingerprint(minilm_path())}"


def published():
    """A read-only connection to the published warehouse, or None after saying why there is none."""
    try:
        return connect(Settings().db_path)
    except FileNotFoundError as exc:
        err.print(f"[red]{exc}[/]")
        return None


def run_similar(console: Console, query: str, k: int, fmt: str, output: Path | None) -> int:
    from warehouse.embeddings import coverage, nearest, passage_vector

    con = published()
    if con is None:
        return 1
    encoder_name = search_encoder_name()
    stored = coverage(con).get(encoder_name, 0)
    if not stored:
        err.print(f"[red]no stored embeddings from {encoder_name}[/]: run `whitehall embed` first")
        return 1
    started = time.perf_counter()
    vector, exclude = None, None
    if PASSAGE_ID.match(query.strip()):
        found = passage_vector(con, query.strip(), encoder_name)
        if found is None:
            err.print(f"[red]no current passage {query.strip()}[/]")
            return 1
        query, exclude, vector = found
    if vector is None:
        from classifiers.encoder import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder()
        vector = encoder.encode([query])[0]
    encoded = time.perf_counter()
    neighbours = nearest(con, vector, encoder_name, k, exclude_hash=exclude)
    searched = time.perf_counter()
    if fmt == "table":
        table = Table(title=f"nearest to {query[:60]!r}" + ("…" if len(query) > 60 else ""), show_lines=True)
        table.add_column("similarity", justify="right")
        table.add_column("passage", ratio=1, overflow="fold")
        table.add_column("text", ratio=3)
        for n in neighbours:
            same = f"\n(+{n.same_text} with the same text)" if n.same_text else ""
            table.add_row(f"{n.similarity:.3f}", f"{n.date} · {n.speaker or 'unknown'}\n{n.source_type} · "
                          f"{n.passage_id}\n{n.url or ''}{same}", n.text)
        emit(console, table, output)
    else:
        columns = ["similarity", "passage_id", "date", "speaker", "source_type", "text", "same_text", "url"]
        rows = [[round(n.similarity, 4), n.passage_id, n.date, n.speaker, n.source_type, n.text, n.same_text,
                 n.url] for n in neighbours]
        emit(console, render(columns, rows, fmt), output)
    err.print(f"{len(neighbours)} nearest of {stored} embedded texts: query vector in "
              f"{1000 * (encoded - started):.0f} ms, search in {1000 * (searched - encoded):.0f} ms")
    return 0


def run_embed(console: Console, limit: int | None) -> int:
    from classifiers.encoder import SentenceTransformerEncoder
    from warehouse.db import open_db
    from warehouse.embeddings import fill_missing, missing
    from warehouse.publish import WarehouseBusyError, WriteLock, prepare_work_db, publish

    settings = Settings()
    try:
        with WriteLock(settings.db_path, wait_s=settings.lock_wait_s):
            con = open_db(prepare_work_db(settings.db_path))
            encoder = SentenceTransformerEncoder()
            todo = len(missing(con, encoder.name, limit))
            started = time.perf_counter()
            done = fill_missing(con, encoder, limit=limit,
                                progress=lambda d, n: err.print(f"embedded {d}/{n}", end="\r"))
            con.execute("CHECKPOINT")
            con.close()
            if done:
                publish(prepare_work_db(settings.db_path), settings.db_path)
    except WarehouseBusyError as exc:
        err.print(f"[yellow]{exc}[/]")
        return 75
    seconds = time.perf_counter() - started
    console.print(f"embedded {done} of {todo} passage texts lacking a vector from {encoder.name} "
                  f"in {seconds:.1f} s" + ("; published a new snapshot" if done else ""))
    return 0


def run_export(console: Console, fmt: str, out: Path, force: bool) -> int:
    from warehouse.export import export

    settings = Settings()
    try:
        con = connect(settings.db_path)
        started = time.perf_counter()
        done = export(con, out, fmt, force=force)
    except (FileNotFoundError, FileExistsError, ValueError) as exc:
        err.print(f"[red]{exc}[/]")
        return 1
    table = Table(title=f"Exported to {out} ({fmt}) in {time.perf_counter() - started:.1f} s")
    for column in ("dataset", "rows", "layout"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    for item in done:
        table.add_row(item.name, str(item.rows), "year=/source_type=" if item.partitioned else "one file")
    console.print(table)
    console.print("schema: SCHEMA.md and manifest.json alongside")
    return 0


def run_agreement(console: Console, fmt: str, output: Path | None) -> int:
    from warehouse.annotation_results import agreement_report

    con = published()
    if con is None:
        return 1
    report = agreement_report(con)
    if fmt == "json":
        emit(console, json.dumps(report, indent=1) + "\n", output)
        return 0
    fmt_alpha = lambda a: "—" if a is None else f"{a:.3f}"  # noqa: E731
    console.print(f"{report['annotations']} answers by {len(report['annotators'])} annotators "
                  f"({', '.join(report['annotators']) or 'none'}); {report['units']} passages, "
                  f"{report['units_multiply_coded']} coded by two or more (codebook {report['codebook_version']})")
    table = Table(title="Krippendorff's α per label (nominal; — where undefined)")
    for column in ("label", "α", "units", "positives", "below 0.667"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in report["labels"].items():
        table.add_row(label, fmt_alpha(row["alpha"]), str(row["units"]), str(row["positives"]),
                      "yes" if row["below_floor"] else "")
    console.print(table)
    if report["pairs"]:
        pairs = Table(title="α per annotator pair")
        labels = list(report["labels"])
        pairs.add_column("pair")
        for label in labels:
            pairs.add_column(label[:12], justify="right")
        for pair, alphas in report["pairs"].items():
            pairs.add_row(pair, *(fmt_alpha(alphas[label]) for label in labels))
        console.print(pairs)
    return 0
