"""The one settings object, read from `WHITEHALL_*` environment variables at the entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractors.limits import Limits
from extractors.registry import SOURCES as ALL_SOURCES


class Settings(BaseSettings):
    """Everything configurable, with the defaults of CONTRACTS.md.

    Built once by the CLI or a flow and passed down as plain arguments: library code never
    reads the environment itself.
    """

    model_config = SettingsConfigDict(env_prefix="WHITEHALL_", extra="ignore")

    data_dir: Path = Path("data")
    db: Path | None = Field(default=None, description="The published warehouse file.")
    archive_dir: Path | None = None
    reports_dir: Path = Field(default=Path("reports"), description="Where `whitehall report` writes YYYY-Qn/.")
    transport: Literal["replay", "live"] = "replay"
    sources: list[str] = Field(default_factory=lambda: list(ALL_SOURCES))
    user_agent: str = "WhitehallDiscourse/0.1 (+https://github.com/whitehall-discourse)"
    contact: str = "whitehall-discourse@example.org"

    # Model and classification
    model_dir: Path | None = Field(default=None, description="Trained model; default: the shipped one.")
    baseline: bool = Field(default=False, description="Label with the keyword baseline instead of the model.")
    classify_batch_size: int = 64
    prefilter: bool = Field(default=True, description="Put the cheap prefilter before the trained model.")
    prefilter_dir: Path | None = Field(default=None, description="Prefilter weights; default: the shipped ones.")
    quantize: bool = Field(default=False, description="int8 dynamic quantisation of the encoder (model version +int8).")
    encoder_threads: int = Field(default=2, description="Torch threads for the encoder (the machine's cores).")

    # Politeness and limits for live fetching
    requests_per_second: float = 2.0
    http_timeout_s: float = 30.0
    http_retries: int = 4
    load_batch_documents: int = 200
    lock_wait_s: float = Field(default=0.0, description="How long a run waits for another run's write lock.")

    # Researchers' interface
    search_dir: Path | None = Field(default=None, description="The full-text index; default: beside the warehouse.")
    embed_missing: bool = Field(default=False, description="The nightly run also embeds passages that lack a vector.")

    # Limits on hostile or absurd input (extractors/limits.py): refused (quarantined) or neutralised
    max_response_bytes: int = Field(default=50 * 1024 * 1024, description="Cap on a response, enforced while streaming.")
    max_xml_entity_declarations: int = 200
    max_xml_entity_chars: int = Field(default=64, description="Longest replacement text of an internal XML entity.")
    max_passage_chars: int = Field(default=10_000, description="Longer passages are split (flagged in the document meta).")
    max_document_passages: int = 100_000
    max_zip_members: int = 2_000
    max_zip_uncompressed_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: int = Field(default=100, description="Largest uncompressed/compressed ratio of a zip entry.")
    max_pdf_pages: int = 2_000
    max_pdf_stream_bytes: int = 100 * 1024 * 1024

    # Alerting (whitehall/notify.py, warehouse/health.py)
    alert_webhook_url: str | None = Field(default=None, description="POST each night's alerts here as JSON.")
    alert_command: str | None = Field(default=None, description="Run this command with the alerts as JSON on stdin.")
    alert_failed_nights: int = Field(default=3, description="Alert when a source has failed this many nights running.")
    alert_gap_factor: float = Field(default=1.5, description="Alert when a source's silence exceeds this times its usual gap.")
    alert_gap_quantile: float = Field(default=1.0, description="The usual gap: this quantile of past gaps (1.0 = the longest).")
    alert_min_gaps: int = Field(default=5, description="Gaps a source needs in its history before silence alerts.")

    # Scale-out (flows/runners.py): the same flows on threads or on a Dask cluster
    task_runner: Literal["threads", "dask"] = "threads"
    fetch_workers: int = Field(default=4, description="Threads for the mapped fetch-and-parse tasks.")
    dask_address: str | None = Field(default=None, description="A running Dask scheduler, e.g. tcp://host:8786.")
    dask_cluster_class: str | None = Field(default=None, description="e.g. coiled.Cluster; default LocalCluster.")
    dask_cluster_kwargs: str | None = Field(default=None, description="JSON keyword arguments for the cluster class.")
    dask_workers: int = 2
    result_storage: str | None = Field(default=None, description="Shared folder or fsspec URL for task results.")

    @model_validator(mode="after")
    def _derive_paths(self) -> "Settings":
        if self.db is None:
            self.db = self.data_dir / "whitehall.duckdb"
        if self.archive_dir is None:
            self.archive_dir = self.data_dir / "archive"
        if self.search_dir is None:
            self.search_dir = self.db.parent / "search"
        unknown = sorted(set(self.sources) - set(ALL_SOURCES))
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; known: {', '.join(ALL_SOURCES)}")
        return self

    def limits(self) -> Limits:
        """The input limits, for extractors.limits.configure."""
        return Limits(**{name: getattr(self, name) for name in Limits.__dataclass_fields__})

    @property
    def db_path(self) -> Path:
        assert self.db is not None
        return self.db

    @property
    def archive_path(self) -> Path:
        assert self.archive_dir is not None
        return self.archive_dir

    @property
    def search_path(self) -> Path:
        assert self.search_dir is not None
        return self.search_dir

    @property
    def cache_path(self) -> Path:
        return self.data_dir / "cache" / "embeddings.sqlite"

    @property
    def prefilter_choice(self) -> bool | Path:
        """What load_classifier's `prefilter` takes: off, the shipped one, or a folder."""
        return (self.prefilter_dir or True) if self.prefilter else False

    @property
    def http_user_agent(self) -> str:
        return f"{self.user_agent} contact: {self.contact}"
