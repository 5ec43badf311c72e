"""The benchmark scripts run (``--quick``: a small run that writes nothing) and print their tables.

They read real pages from the shared corpus (skipped, saying why, without it). The optional
benchmark dependencies (``pip install -e '.[bench]'``: newspaper4k and nltk) are not needed:
without them quality.py reports newspaper4k as "not installed" (CI installs ``.[test]`` only).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared import SHARED_DIR, require_shared

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, timeout: int = 120) -> str:
    require_shared()
    env = {k: v for k, v in os.environ.items()
           if k not in ("AKHBAR_DATABASE_URL", "AKHBAR_REDIS_URL", "AKHBAR_REPLAY")}
    env["AKHBAR_SHARED"] = str(SHARED_DIR)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{script} --quick exited {done.returncode}\n{done.stdout}\n{done.stderr[-3000:]}"
    return done.stdout


def test_speed_benchmark_prints_its_ratios():
    out = run("speed.py")
    assert "| akhbar (callback+loaders+pipelines) |" in out
    assert "akhbar / trafilatura:" in out and "lxml parse / akhbar:" in out


def test_quality_benchmark_prints_its_table():
    out = run("quality.py")
    assert "| tool | layout | pages | body P | body R | body F1 | first+last exact | dropped |" in out
    for tool in ("akhbar", "akhbar-generic", "trafilatura", "newspaper4k"):
        for layout in ("original", "renamed"):
            assert f"| {tool} | {layout} |" in out
    assert "Network attempts by third-party tools (blocked): 0." in out


def test_crawl_benchmark_prints_its_table():
    out = run("crawl.py", timeout=180)
    assert "scrapy bench" in out and "pages/min" in out
    assert "| pages | store | queue | items | elapsed s | items/min | vs scrapy bench | peak RSS MB |" in out
    # every page of the site became one item, with the request queue in memory and on disk (JOBDIR)
    assert "| 200 | off | memory | 200 |" in out
    assert "| 200 | off | disk (JOBDIR) | 200 |" in out
