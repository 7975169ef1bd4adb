"""`make bench`: every benchmark, then benchmarks/RESULTS.md. Figures are ratios against a
reference measured in the same run (or bounds), because absolute times on a shared machine
are noise.

    python -m benchmarks.run                      # everything, default sizes
    python -m benchmarks.run --only throughput    # one section (others keep their last figures)
    BENCH_SCALE=small python -m benchmarks.run    # small sizes, for a quick look
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from benchmarks.common import OUT, load_results, machine, save_section

ROOT = Path(__file__).resolve().parents[1]
SCALES = {
    "default": {"throughput_n": 128, "cascade_n": 400, "quant_speed_n": 64, "memory_small": 520,
                "memory_large": 5_200, "nightly_big": 1_000_000, "nightly_new": [0, 100, 10_000],
                "warehouse_mid": 1_000_000, "warehouse_big": 10_000_000, "view_timeout_s": 60},
    "tiny": {"throughput_n": 16, "cascade_n": 32, "quant_speed_n": 8, "memory_small": 20,
             "memory_large": 200, "nightly_big": 20_000, "nightly_new": [0, 5, 20],
             "warehouse_mid": 20_000, "warehouse_big": 50_000, "view_timeout_s": 30},
    "small": {"throughput_n": 64, "cascade_n": 128, "quant_speed_n": 32, "memory_small": 100,
              "memory_large": 1_000, "nightly_big": 100_000, "nightly_new": [0, 100, 1_000],
              "warehouse_mid": 100_000, "warehouse_big": 1_000_000, "view_timeout_s": 60},
}
SECTIONS = ("throughput", "memory", "nightly", "warehouse")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=SECTIONS, action="append")
    args = parser.parse_args()
    scale = SCALES[os.environ.get("BENCH_SCALE", "default")]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    save_section("machine", {**machine(), "scale": os.environ.get("BENCH_SCALE", "default"), "sizes": scale})
    cache = ROOT / "data" / "cache" / "embeddings.sqlite"  # the labelled splits' embeddings, if cached
    for section in args.only or SECTIONS:
        if section == "throughput":
            from benchmarks import throughput

            throughput.run(scale, cache)
        elif section == "memory":
            from benchmarks import memory

            memory.run(scale)
        elif section == "nightly":
            from benchmarks import nightly_scale

            nightly_scale.run(scale)
        elif section == "warehouse":
            from benchmarks import warehouse_scale

            warehouse_scale.run(scale)
    from benchmarks.report import write

    write(load_results(), ROOT / "benchmarks" / "RESULTS.md")
    print(f"wrote benchmarks/RESULTS.md (raw figures in {OUT / 'results.json'})")


if __name__ == "__main__":
    main()
