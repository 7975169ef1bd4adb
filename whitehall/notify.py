"""The alert hook: where a night's alerts go (a webhook, a command, or both), set in the settings.

`WHITEHALL_ALERT_WEBHOOK_URL` receives a JSON POST; `WHITEHALL_ALERT_COMMAND` is run (no shell)
with the same JSON on stdin, so it can mail, page or post anywhere. A notifier that fails is
logged and noted in the run summary; it never fails the run.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from typing import Protocol, Sequence

import httpx

from warehouse.health import Alert

PROJECT = "whitehall-discourse"


class Notifier(Protocol):
    def notify(self, alerts: Sequence[Alert], context: dict) -> None:
        """Deliver the alerts; raise on failure."""
        ...


def payload(alerts: Sequence[Alert], context: dict) -> dict:
    return {"project": PROJECT, **context, "alerts": [a.to_json() for a in alerts]}


class WebhookNotifier:
    def __init__(self, url: str, timeout_s: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self.url, self.timeout_s, self.transport = url, timeout_s, transport

    def notify(self, alerts: Sequence[Alert], context: dict) -> None:
        with httpx.Client(timeout=self.timeout_s, transport=self.transport) as client:
            client.post(self.url, json=payload(alerts, context)).raise_for_status()


class CommandNotifier:
    def __init__(self, command: str, timeout_s: float = 60.0) -> None:
        self.argv, self.timeout_s = shlex.split(command), timeout_s

    def notify(self, alerts: Sequence[Alert], context: dict) -> None:
        subprocess.run(self.argv, input=json.dumps(payload(alerts, context)).encode(), check=True,
                       timeout=self.timeout_s, capture_output=True)


class Notifiers:
    """Every configured notifier; each is tried, the failures are returned."""

    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self.notifiers = list(notifiers)

    def __bool__(self) -> bool:
        return bool(self.notifiers)

    def send(self, alerts: Sequence[Alert], context: dict) -> list[str]:
        if not alerts:
            return []
        failures = []
        for notifier in self.notifiers:
            try:
                notifier.notify(alerts, context)
            except Exception as exc:  # a broken hook must not fail the night
                failures.append(f"{type(notifier).__name__}: {type(exc).__name__}: {exc}")
        return failures


def build_notifiers(webhook_url: str | None, command: str | None) -> Notifiers:
    found: list[Notifier] = []
    if webhook_url:
        found.append(WebhookNotifier(webhook_url))
    if command:
        found.append(CommandNotifier(command))
    return Notifiers(found)
