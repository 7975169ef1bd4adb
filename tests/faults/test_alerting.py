"""Alerting: a source failing N nights running, or silent for longer than its usual gap, reaches the
notification hook configured in the settings (tested with a fake notifier, a webhook and a command)."""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta

import httpx

from tests.faults.harness import Fault, scenario
from warehouse import health
from warehouse.db import open_db
from whitehall.notify import CommandNotifier, Notifiers, WebhookNotifier, build_notifiers


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[list, dict]] = []

    def notify(self, alerts, context) -> None:
        self.sent.append((list(alerts), context))


class BrokenNotifier:
    def notify(self, alerts, context) -> None:
        raise ConnectionError("mail server down")


def _history(con, source: str, statuses: list[str]) -> None:
    for status in statuses:
        run_id = con.execute("SELECT nextval('run_ids')").fetchone()[0]
        con.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES (?, 'nightly', now(), 'completed')",
                    [run_id])
        con.execute("INSERT INTO run_sources (run_id, source, status, error) VALUES (?, ?, ?, ?)",
                    [run_id, source, status, "HTTP 503" if status == "failed" else None])


def _dates(con, source: str, days: list[date]) -> None:
    for day in days:
        con.execute("INSERT INTO documents (document_id, source, source_type, item_id, date, content_hash,"
                    " n_passages) VALUES (?, ?, 'debate', ?, ?, 'h', 0)", [f"{source}:{day}", source, str(day), day])


def test_health_rules(tmp_path):
    con = open_db(tmp_path / "w.duckdb")
    _history(con, "a", ["ok", "failed", "failed", "failed"])
    _history(con, "b", ["failed", "failed", "ok"])
    _history(con, "c", ["failed", "ok", "failed", "failed"])
    start = date(2025, 1, 6)
    _dates(con, "weekly", [start + timedelta(weeks=k) for k in range(30)])  # usual gap: 7 days
    newest = start + timedelta(weeks=29)
    rules = health.Thresholds(failed_nights=3, gap_factor=1.5, gap_quantile=1.0, min_gaps=5)
    alerts = health.check(con, ["a", "b", "c", "weekly"], newest + timedelta(days=10), rules)
    assert [(a.source, a.kind) for a in alerts] == [("a", "failing")]  # 10 days <= 1.5 x 7
    assert alerts[0].detail == {"nights": 3, "error": "HTTP 503"}
    alerts = health.check(con, ["weekly"], newest + timedelta(days=11), rules)
    assert [(a.kind, a.detail["days"], a.detail["usual_gap_days"]) for a in alerts] == [("silent", 11, 7.0)]
    assert health.check(con, ["weekly"], newest + timedelta(days=11), health.Thresholds(min_gaps=40)) == []
    assert health.usual_gap_days([date(2026, 1, d) for d in (1, 2, 3, 10)], 0.5) == 1.0


def test_the_hook_fires_for_consecutive_failures_and_for_silence(tmp_path, origin, monkeypatch, prefect_harness):
    from flows.nightly import nightly

    night = scenario(tmp_path, origin, ["hansard", "hansard_wms"], start=date(2026, 1, 1),
                     alert_failed_nights=2, alert_min_gaps=3,
                     faults=[Fault("/wms/changedates.txt", "status", 503)]).install(monkeypatch)
    fake = FakeNotifier()
    night.notifiers = Notifiers([fake, BrokenNotifier()])

    first = nightly()
    assert first["alerts"] == [] and fake.sent == []
    second = nightly()
    assert [(a["source"], a["kind"]) for a in second["alerts"]] == [("hansard_wms", "failing")]
    (alerts, context), = fake.sent
    assert "hansard_wms has failed 2 nights running" in alerts[0].message and "HTTP 503" in alerts[0].message
    assert context == {"run_id": second["run_id"], "flow": "nightly", "status": "completed_with_errors"}
    assert second["notify_failures"] == ["BrokenNotifier: ConnectionError: mail server down"]

    def until_june(data: bytes) -> bytes:  # the source stops publishing (or our discovery breaks)
        rows = data.decode().splitlines()
        return "".join(f"{r}\n" for r in rows if r and re.search(r"(\d{4}-\d{2}-\d{2})", r)[1] < "2026-06-30").encode()

    night.transport.faults = [Fault("/wms/changedates.txt", "body", until_june),
                              Fault("/lordswms/changedates.txt", "body", until_june)]
    third = nightly()
    kinds = [(a["source"], a["kind"]) for a in third["alerts"]]
    assert kinds == [("hansard_wms", "silent")]
    assert third["alerts"][0]["detail"]["newest"] == "2026-06-15" and third["alerts"][0]["detail"]["days"] == 99
    assert len(fake.sent) == 2


def test_webhook_and_command_notifiers_deliver_json(tmp_path):
    alert = health.Alert("govuk", "silent", "nothing new from govuk for 30 days", {"days": 30})
    received = []
    webhook = WebhookNotifier("https://hooks.example/whitehall", transport=httpx.MockTransport(
        lambda request: received.append(json.loads(request.content)) or httpx.Response(204)))
    out = tmp_path / "alert.json"
    command = CommandNotifier(f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.stdin.read())\""
                              f" {out}")
    assert Notifiers([webhook, command]).send([alert], {"run_id": 7}) == []
    expected = {"project": "whitehall-discourse", "run_id": 7, "alerts": [
        {"source": "govuk", "kind": "silent", "message": "nothing new from govuk for 30 days", "detail": {"days": 30}}]}
    assert received == [expected] and json.loads(out.read_text()) == expected
    failing = WebhookNotifier("https://hooks.example/x", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    assert "HTTPStatusError" in Notifiers([failing]).send([alert], {})[0]
    assert not build_notifiers(None, None) and len(build_notifiers("https://x", "true").notifiers) == 2
