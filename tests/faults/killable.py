"""A fork server for the SIGKILL test: it imports the pipeline once, then for each request forks a
child that runs the nightly ingest on a data folder, and kills it with SIGKILL at a chosen point.

Run as `python -m tests.faults.killable` (from the repository root); it speaks JSON lines:
request  {"data_dir", "origin", "sources", "batch", "kill": null | {"event", "n", "delay_s"}}
answer   {"returncode", "killed", "events": [...], "summary": {...} | null}

The child runs `flows.nightly.ingest` itself (the body of the nightly flow) with each Prefect task
called as its plain function and artifacts off: a fresh process pays seconds for Prefect's run
bookkeeping, and Prefect writes nothing to the warehouse. It reports progress on a pipe: `fetch k`
(batch k starts), `load k` (batch k's transaction begins), `committed k`, `publish`. The parent
kills it `delay_s` after the n-th event of the chosen kind, so the kill lands at a random offset
inside that stage: mid-fetch, mid-transaction, mid-commit or mid-copy of the snapshot.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import sys
import time


def _child(request: dict, events_fd: int) -> None:
    from prefect.utilities.annotations import quote

    from extractors.archive import RawArchive
    from extractors.http import HttpClient, ReplayTransport
    from extractors.limits import configure
    from extractors.registry import build_extractors
    from flows import nightly, tasks
    from flows.runtime import Runtime
    from warehouse import ingest
    from whitehall.notify import Notifiers
    from whitehall.settings import Settings

    def bare(fn):
        """The task's function, taking the flow's quote()-wrapped arguments as Prefect would."""
        def call(*args, **kwargs):
            unwrap = lambda a: a.unquote() if isinstance(a, quote) else a  # noqa: E731
            return fn(*map(unwrap, args), **{k: unwrap(v) for k, v in kwargs.items()})
        return call

    def emit(event: str) -> None:
        os.write(events_fd, (event + "\n").encode())

    counter = {"fetch": 0, "load": 0}
    fetch, load_batch, publish = tasks.fetch_and_parse.fn, ingest.load_batch, nightly.publish

    def fetch_and_parse(*args, **kwargs):
        counter["fetch"] += 1
        emit(f"fetch {counter['fetch']}")
        return fetch(*args, **kwargs)

    def load(*args, **kwargs):
        counter["load"] += 1
        emit(f"load {counter['load']}")
        result = load_batch(*args, **kwargs)
        emit(f"committed {counter['load']}")
        return result

    def publishing(*args, **kwargs):
        emit("publish")
        return publish(*args, **kwargs)

    nightly.get_run_logger = lambda: logging.getLogger("whitehall.nightly")
    nightly._artifacts = lambda summary, flow_name: None
    for name in ("discover", "plan", "classify", "load", "store_vectors", "refresh", "upkeep"):
        setattr(tasks, name, bare(getattr(tasks, name).fn))  # plain calls: no Prefect engine in the child
    tasks.fetch_and_parse = bare(fetch_and_parse)
    ingest.load_batch = load
    nightly.publish = publishing

    settings = Settings(data_dir=request["data_dir"], transport="replay", sources=request["sources"],
                        load_batch_documents=request["batch"], baseline=True)
    configure(settings.limits())
    origin = RawArchive(request["origin"])
    archive = RawArchive(settings.archive_path)
    client = HttpClient(archive, ReplayTransport(origin), requests_per_second=0, sleep=lambda s: None)
    runtime = Runtime(settings, archive, client, build_extractors(settings.sources), Notifiers([]))
    summary = nightly.ingest(runtime, "nightly")
    emit("summary " + json.dumps({k: summary[k] for k in ("run_id", "status", "totals", "published")}))


def _serve(request: dict) -> dict:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        code = 0
        try:
            _child(request, write_fd)
        except BaseException as exc:  # noqa: BLE001 - report, then leave without cleanup
            os.write(write_fd, f"error {type(exc).__name__}: {exc}\n".encode())
            code = 1
        os._exit(code)
    os.close(write_fd)
    kill = request.get("kill")
    events: list[str] = []
    buffer = b""
    killed = False
    seen = 0
    while True:
        ready, _, _ = select.select([read_fd], [], [], 60)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            event = line.decode()
            events.append(event)
            if kill and not killed and event.split(" ")[0] == kill["event"]:
                seen += 1
                if seen == kill["n"]:
                    time.sleep(kill["delay_s"])
                    os.kill(pid, signal.SIGKILL)
                    killed = True
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    summary = next((json.loads(e[8:]) for e in events if e.startswith("summary ")), None)
    return {"returncode": returncode, "killed": returncode == -signal.SIGKILL, "events": events,
            "summary": summary}


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    import flows.nightly  # noqa: F401 - the expensive imports, once, before any fork
    import warehouse.loader  # noqa: F401

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(_serve(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
