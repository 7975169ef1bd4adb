"""Profile one full `make run` (the nightly from 2016 on the sample archive, fresh warehouse)
under pyinstrument, writing benchmarks/out/profile/<label>.txt.

    python -m benchmarks.profile_run before
    WHITEHALL_BASELINE=false python -m benchmarks.profile_run trained   # with the real encoder

By default it labels with the keyword baseline, so that what it shows is everything but the
encoder (whose cost the throughput benchmark covers).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import OUT
from benchmarks.workloads import sample_archive


def main(label: str) -> Path:
    folder = OUT / "profile" / label
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(sample_archive(), folder / "data" / "archive")
    env = {**os.environ, "WHITEHALL_DATA_DIR": str(folder / "data"), "PREFECT_HOME": str(folder / ".prefect"),
           "WHITEHALL_BASELINE": os.environ.get("WHITEHALL_BASELINE", "true"),
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    report = OUT / "profile" / f"{label}.txt"
    subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report), "-m", "whitehall.cli",
                    "run", "nightly", "--transport", "replay", "--since", "2016-01-01"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return report


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else "profile"))
