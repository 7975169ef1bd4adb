"""Safe concurrent access: one writer works on a private copy, readers get atomic snapshots.

DuckDB allows one writer process. The pipeline therefore writes to a working database
(`<db dir>/.work/<db name>`) under an exclusive file lock, and when a run has changed
content it publishes a snapshot: checkpoint, copy to a temporary file beside the published
one, fsync, and `os.replace` over `data/whitehall.duckdb`. A researcher who has the old file
open keeps reading the old snapshot (the old inode lives until they close it); the next
connection sees the new one. A run with nothing new publishes nothing.

Crash safety: the working database is seeded by copy-then-rename, so a killed seed never leaves
a half file; a marker (`<work>.unpublished`) is set before a run writes and cleared only after
its snapshot is published, so a run killed (or out of disk) between its last commit and the
publish is published by the next run even when that one finds nothing new; temporary files a
killed run left are removed by the next one. A failed copy (disk full) raises PublishError and
leaves the previous snapshot untouched.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from pathlib import Path


class WarehouseBusyError(RuntimeError):
    """Another pipeline process holds the warehouse's write lock."""


def work_path(db_path: Path) -> Path:
    """The working database the pipeline writes, beside the published one."""
    db_path = Path(db_path)
    return db_path.parent / ".work" / db_path.name


class PublishError(RuntimeError):
    """The snapshot could not be published; the previous one is untouched."""


def unpublished_marker(db_path: Path) -> Path:
    """Present while the working database may hold changes the snapshot lacks."""
    return work_path(db_path).with_suffix(".unpublished")


def mark_unpublished(db_path: Path) -> bool:
    """Set the marker before writing; return whether it was already set (an unfinished run)."""
    marker = unpublished_marker(db_path)
    existed = marker.exists()
    if not existed:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    return existed


def clear_unpublished(db_path: Path) -> None:
    unpublished_marker(db_path).unlink(missing_ok=True)


def remove_stale_temporaries(db_path: Path) -> list[Path]:
    """Delete the half-written copies a killed seed or publish left (call under the lock)."""
    db_path = Path(db_path)
    stale = [*db_path.parent.glob(f".{db_path.name}.publishing-*"),
             *work_path(db_path).parent.glob(f".{db_path.name}.seeding-*")]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _copy_durably(src: Path, tmp: Path) -> None:
    with open(src, "rb") as source, open(tmp, "wb") as target:
        shutil.copyfileobj(source, target, length=16 * 1024 * 1024)
        target.flush()
        os.fsync(target.fileno())


def _fsync_directory(folder: Path) -> None:
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class WriteLock:
    """An exclusive advisory lock on the working database, held for a whole run."""

    def __init__(self, db_path: Path, wait_s: float = 0.0) -> None:
        self.path = work_path(db_path).with_suffix(".lock")
        self.wait_s = wait_s
        self._handle = None

    def __enter__(self) -> "WriteLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    raise WarehouseBusyError(
                        f"the warehouse is being written by {holder} (lock {self.path}); "
                        "this run exits without writing. Try again when it finishes."
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def prepare_work_db(db_path: Path) -> Path:
    """The working database; seeded from the published snapshot if only that exists."""
    db_path = Path(db_path)
    work = work_path(db_path)
    work.parent.mkdir(parents=True, exist_ok=True)
    if not work.exists() and db_path.exists():
        tmp = work.parent / f".{db_path.name}.seeding-{os.getpid()}"
        try:
            _copy_durably(db_path, tmp)
            os.replace(tmp, work)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return work


def publish(work: Path, db_path: Path) -> Path:
    """Atomically replace the published warehouse with a copy of the (closed) working one."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.publishing-{os.getpid()}")
    try:
        _copy_durably(work, tmp)
        os.replace(tmp, db_path)
        _fsync_directory(db_path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise PublishError(
            f"could not publish {db_path}: {reason} (errno {exc.errno}). The previous snapshot is "
            f"untouched; the run's work is kept in {work} and the next run publishes it."
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return db_path
