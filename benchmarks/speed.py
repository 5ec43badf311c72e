"""Extraction speed: akhbar vs trafilatura vs a bare lxml parse, on the same pages, one process.

    python benchmarks/speed.py            # 20 rounds over every test page
    python benchmarks/speed.py --quick    # 1 round: checks the benchmark works (CI)

akhbar's figure is the whole article path without network: the spider callback
(parse_article: extraction + the story links it yields), the loaders, and the normalise /
validate pipelines. trafilatura's is `bare_extraction` of the same bytes; the floor is
`lxml.html.fromstring` of the same bytes (nothing extracts faster than it parses).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lxml.html  # noqa: E402
from scrapy.http import HtmlResponse, Request  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from akhbar.catalog import test_pages  # noqa: E402
from akhbar.items import Article  # noqa: E402
from akhbar.pipelines import normalize_item, validation_problem  # noqa: E402
from akhbar.registry import spider_for_url  # noqa: E402


def akhbar_extract(spider, url: str, body: bytes) -> None:
    response = HtmlResponse(url=url, body=body, request=Request(url, meta={"akhbar_hops": 0}))
    for result in spider.parse_article(response):
        if isinstance(result, Article):
            validation_problem(normalize_item(result))


def time_per_page(pages, function, rounds: int) -> list[float]:
    """Median seconds per page over `rounds`, for each page."""
    medians = []
    for page in pages:
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            function(page)
            samples.append(time.perf_counter() - start)
        medians.append(statistics.median(samples))
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="one round, to check the benchmark runs")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds

    import trafilatura

    pages = []
    for path, url in test_pages():
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

    timings = {
        "lxml.html.fromstring (floor)": time_per_page(pages, lambda p: lxml.html.fromstring(p[2]), rounds),
        "akhbar (callback+loaders+pipelines)": time_per_page(pages, lambda p: akhbar_extract(*p), rounds),
        "trafilatura.bare_extraction": time_per_page(
            pages, lambda p: trafilatura.bare_extraction(p[2].decode("utf-8", "replace"), url=p[1]), rounds),
    }
    total_kb = sum(len(p[2]) for p in pages) / 1024
    print(f"{len(pages)} pages ({total_kb:.0f} KB), {rounds} round(s) each; Python {platform.python_version()}, "
          f"trafilatura {trafilatura.__version__}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}")
    print(f"{'':38} {'pages/s':>9} {'median ms/page':>15}")
    rates = {}
    for name, medians in timings.items():
        rates[name] = len(medians) / sum(medians)
        print(f"{name:38} {rates[name]:9.1f} {statistics.median(medians) * 1000:15.2f}")
    ours = rates["akhbar (callback+loaders+pipelines)"]
    print(f"akhbar / trafilatura: {ours / rates['trafilatura.bare_extraction']:.2f}x  (goal >= 10x)")
    print(f"lxml parse / akhbar:  {rates['lxml.html.fromstring (floor)'] / ours:.2f}x  (goal <= 4x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
