"""The objects a flow run needs, built once from the settings at the flow's entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from classifiers.registry import LoadedClassifier, load_classifier
from extractors.archive import RawArchive
from extractors.base import Extractor
from extractors.http import HttpClient
from extractors.limits import configure
from extractors.registry import build_extractors
from warehouse.health import Thresholds
from whitehall.notify import Notifiers, build_notifiers
from whitehall.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    archive: RawArchive
    client: HttpClient
    extractors: dict[str, Extractor] = field(default_factory=dict)
    notifiers: Notifiers = field(default_factory=lambda: Notifiers([]))
    _model: LoadedClassifier | None = None

    @classmethod
    def build(cls, settings: Settings) -> "Runtime":
        configure(settings.limits())
        archive = RawArchive(settings.archive_path)
        if settings.transport == "replay":
            client = HttpClient.replay(archive, user_agent=settings.http_user_agent,
                                       max_bytes=settings.max_response_bytes)
        else:
            client = HttpClient(
                archive,
                user_agent=settings.http_user_agent,
                requests_per_second=settings.requests_per_second,
                timeout_s=settings.http_timeout_s,
                retries=settings.http_retries,
                max_bytes=settings.max_response_bytes,
            )
        extractors = build_extractors(settings.sources)
        return cls(settings, archive, client, extractors,
                   build_notifiers(settings.alert_webhook_url, settings.alert_command))

    @property
    def thresholds(self) -> Thresholds:
        s = self.settings
        return Thresholds(s.alert_failed_nights, s.alert_gap_factor, s.alert_gap_quantile, s.alert_min_gaps)

    @property
    def model(self) -> LoadedClassifier:
        """The classifier, loaded on first use (a no-op night never pays for it)."""
        if self._model is None:
            self._model = load_classifier(self.settings.model_dir, baseline=self.settings.baseline,
                                          cache_path=self.settings.cache_path,
                                          threads=self.settings.encoder_threads,
                                          prefilter=self.settings.prefilter_choice,
                                          quantize=self.settings.quantize)
        return self._model

    @property
    def db_path(self) -> Path:
        return self.settings.db_path

    def close(self) -> None:
        self.client.close()
        self.archive.close()
