"""Extraction speed: akhbar vs trafilatura vs a bare lxml parse, on the same pages, one process.

    python benchmarks/speed.py            # 5 repeats x 10 rounds over every test page, results written
    python benchmarks/speed.py --quick    # 1 repeat x 1 round: checks the benchmark works (CI)

akhbar's figure is the whole article path without network: the spider callback
(parse_article: extraction + the story links it yields), the loaders, and the normalise /
validate pipelines. trafilatura's is `bare_extraction` of the same bytes; the floor is
`lxml.html.fromstring` of the same bytes (nothing extracts faster than it parses).

The machine may be shared (other processes make any one timing noisy), so the three are
interleaved page by page and round by round (each sees the same load), each page's time is the
median of its rounds, pages/s = pages / sum of those medians, and the whole measurement is
repeated: the figures reported are the medians over the repeats (the spread is printed too).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
from scrapy.http import HtmlResponse, Request  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from akhbar.catalog import test_pages  # noqa: E402
from akhbar.items import Article  # noqa: E402
from akhbar.pipelines import normalize_item, validation_problem  # noqa: E402
from akhbar.registry import spider_for_url  # noqa: E402

LXML, AKHBAR, TRAFILATURA = ("lxml.html.fromstring (floor)", "akhbar (callback+loaders+pipelines)",
                             "trafilatura.bare_extraction")


def akhbar_extract(spider, url: str, body: bytes) -> None:
    response = HtmlResponse(url=url, body=body, request=Request(url, meta={"akhbar_hops": 0}))
    for result in spider.parse_article(response):
        if isinstance(result, Article):
            validation_problem(normalize_item(result))


def measure(pages, functions: dict, rounds: int) -> dict[str, list[float]]:
    """Per function, the median seconds of each page over `rounds`, the functions interleaved."""
    medians: dict[str, list[float]] = {name: [] for name in functions}
    for page in pages:
        samples: dict[str, list[float]] = {name: [] for name in functions}
        for _ in range(rounds):
            for name, function in functions.items():
                start = time.perf_counter()
                function(page)
                samples[name].append(time.perf_counter() - start)
        for name in functions:
            medians[name].append(statistics.median(samples[name]))
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one round, one repeat, nothing written (CI)")
    parser.add_argument("--corpus", type=Path, default=None, help="the shared corpus (default ../shared/corpus)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--label", default="", help="a name for this run in the results file")
    args = parser.parse_args()
    rounds, repeats = (1, 1) if args.quick else (args.rounds, args.repeats)

    import trafilatura

    pages = []
    for path, url in test_pages(args.corpus):
        spider_cls = spider_for_url(url)
        if spider_cls is None:
            continue
        spider = get_crawler(spider_cls)._create_spider()
        pages.append((spider, url, path.read_bytes()))
    if not pages:
        print("no test pages found (is ../shared/corpus there?)", file=sys.stderr)
        return 1
    # One warm-up pass: imports, lazily built regexes and caches are not what we measure.
    for spider, url, body in pages:
        akhbar_extract(spider, url, body)
        trafilatura.bare_extraction(body.decode("utf-8", "replace"), url=url)

    functions = {
        LXML: lambda p: lxml.html.fromstring(p[2]),
        AKHBAR: lambda p: akhbar_extract(*p),
        TRAFILATURA: lambda p: trafilatura.bare_extraction(p[2].decode("utf-8", "replace"), url=p[1]),
    }
    runs = []
    for _ in range(repeats):
        medians = measure(pages, functions, rounds)
        runs.append({name: {"pages_per_s": len(m) / sum(m), "median_ms": statistics.median(m) * 1000}
                     for name, m in medians.items()})
    for run in runs:
        run["vs_trafilatura"] = run[AKHBAR]["pages_per_s"] / run[TRAFILATURA]["pages_per_s"]
        run["floor_ratio"] = run[LXML]["pages_per_s"] / run[AKHBAR]["pages_per_s"]

    def med(get) -> float:
        return statistics.median(get(run) for run in runs)

    total_kb = sum(len(p[2]) for p in pages) / 1024
    lines = [f"{len(pages)} pages ({total_kb:.0f} KB), {repeats} repeat(s) x {rounds} round(s), interleaved; "
             f"Python {platform.python_version()}, trafilatura {trafilatura.__version__}, "
             f"lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}; {os.cpu_count()} CPUs, shared machine",
             "",
             "| | pages/s | median ms/page |",
             "|---|---|---|"]
    for name in functions:
        lines.append(f"| {name} | {med(lambda r: r[name]['pages_per_s']):.1f} | "
                     f"{med(lambda r: r[name]['median_ms']):.2f} |")
    spread = lambda key: f"{min(r[key] for r in runs):.2f}-{max(r[key] for r in runs):.2f}"  # noqa: E731
    lines += ["",
              f"akhbar / trafilatura: {med(lambda r: r['vs_trafilatura']):.2f}x pages/s "
              f"(repeats: {spread('vs_trafilatura')}; goal >= 10x)",
              f"lxml parse / akhbar:  {med(lambda r: r['floor_ratio']):.2f}x "
              f"(repeats: {spread('floor_ratio')}; goal <= 4x)"]
    text = "\n".join(lines)
    print(text)
    if not args.quick:
        today = datetime.now(timezone.utc).date().isoformat()
        args.out.mkdir(parents=True, exist_ok=True)
        suffix = f"-{args.label}" if args.label else ""
        (args.out / f"speed-{today}{suffix}.md").write_text(text + "\n", encoding="utf-8")
        (args.out / f"speed-{today}{suffix}.json").write_text(json.dumps(
            {"date": today, "pages": len(pages), "rounds": rounds, "repeats": repeats, "runs": runs},
            indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.out}/speed-{today}{suffix}.md, .json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
