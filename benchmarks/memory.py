"""Peak RSS of `whitehall classify` (real encoder, prefilter cascade, cold cache) at two sizes.

Each size runs in a fresh wrapper process whose only child is the command, so that
RUSAGE_CHILDREN's ru_maxrss is that command's peak resident set.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import save_section
from benchmarks.workloads import Text, realistic_mix

_WRAPPER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)")


def peak_rss(texts: list[Text], workdir: Path) -> tuple[float, float]:
    """(peak RSS in MiB, seconds) of one `whitehall classify` over the texts."""
    infile = workdir / f"in-{len(texts)}.jsonl"
    infile.write_text("".join(json.dumps({"id": t.id, "text": t.text, "context": t.context}) + "\n"
                              for t in texts), "utf-8")
    env = {"WHITEHALL_DATA_DIR": str(workdir / f"data-{len(texts)}")}
    import os

    out = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "whitehall.cli", "classify",
                          str(infile), "-o", str(workdir / f"out-{len(texts)}.jsonl")],
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    kib, seconds = out.stdout.split()
    return int(kib) / 1024, float(seconds)


def mixed(n: int) -> list[Text]:
    """n distinct passages, 90% irrelevant, from the sample archive (repeated texts get a tail)."""
    base = realistic_mix(min(n, 4000), real=False)
    out = []
    for i in range(n):
        t = base[i % len(base)]
        text = t.text if i < len(base) else f"{t.text} ({i})"
        out.append(Text(f"x{i}", text, t.context, t.relevant, t.origin))
    return out


def run(scale: dict) -> None:
    small, large = scale["memory_small"], scale["memory_large"]
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    rss_small, s_small = peak_rss(mixed(small), work)
    rss_large, s_large = peak_rss(mixed(large), work)
    save_section("memory", {
        "small_n": small, "large_n": large,
        "peak_rss_small_mib": round(rss_small, 1), "peak_rss_large_mib": round(rss_large, 1),
        "large_over_small": round(rss_large / rss_small, 3),
        "seconds_small": round(s_small, 1), "seconds_large": round(s_large, 1),
        "bound_gib": 2.0, "within_bound": rss_large <= 2048,
    })
