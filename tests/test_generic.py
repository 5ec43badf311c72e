"""The generic spider: any outlet without a spider of its own.

- On every corpus page with an expected item, its extraction (site spider ignored) gives a body
  at least as good as trafilatura alone (token F1), and better on average
  (``benchmarks/generic_vs_trafilatura.py`` prints the whole table).
- The project's own pages in no outlet's layout (``tests/pages_generic/<domain>/``; not
  ``tests/pages/``, whose domains map to site spiders) through ``scrapy extract``.
- It is never the spider of a known domain, and it needs a source to crawl.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared import SHARED_DIR, require_shared

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

ROOT = Path(__file__).resolve().parent.parent
GENERIC_PAGES = ROOT / "tests" / "pages_generic"
NOT_COMPARED = {"file", "notes", "ambiguous", "scraped_at"}


def _benchmark():
    spec = importlib.util.spec_from_file_location("generic_vs_trafilatura",
                                                  ROOT / "benchmarks" / "generic_vs_trafilatura.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def benchmark_rows():
    require_shared()
    return _benchmark().run(SHARED_DIR)


def test_generic_body_beats_trafilatura_on_every_corpus_page(benchmark_rows):
    assert benchmark_rows, "no corpus page with an expected item"
    worse = [f"{r['page']}: generic F1 {r['generic'].f1:.3f} < trafilatura {r['trafilatura'].f1:.3f}"
             for r in benchmark_rows if r["generic"].f1 < r["trafilatura"].f1]
    assert not worse, "\n".join(worse)
    mean_generic = sum(r["generic"].f1 for r in benchmark_rows) / len(benchmark_rows)
    mean_trafilatura = sum(r["trafilatura"].f1 for r in benchmark_rows) / len(benchmark_rows)
    assert mean_generic > mean_trafilatura, (mean_generic, mean_trafilatura)


def test_generic_headline_on_corpus_pages(benchmark_rows):
    wrong = [f"{r['page']}: {r['item'].get('headline')!r}" for r in benchmark_rows if r["fields"]["headline"] != "y"]
    assert not wrong, "\n".join(wrong)


def _own_pages() -> list:
    return [pytest.param(p, id=f"{p.parent.name}/{p.stem}") for p in sorted(GENERIC_PAGES.glob("*/*.json"))]


@pytest.mark.parametrize("expected_file", _own_pages())
def test_own_page_through_scrapy_extract(expected_file: Path):
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    result = subprocess.run([sys.executable, "-m", "scrapy", "extract", str(expected_file.with_suffix(".html")),
                             "--url", expected["url"]], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    ambiguous = set(expected.get("ambiguous") or [])
    problems = [f"{name}: expected {want!r}\n   got {item.get(name)!r}" for name, want in expected.items()
                if name not in NOT_COMPARED | ambiguous and item.get(name) != want]
    assert not problems, "\n".join(problems)


def test_generic_is_never_the_spider_of_a_known_domain():
    from akhbar.registry import GENERIC, outlet_spiders, spider_for_url, spider_or_generic

    assert GENERIC not in {s.name for s in outlet_spiders()}
    assert spider_for_url("https://www.youm7.com/story/2024/5/13/x/6573469").name == "youm7"
    assert spider_or_generic("https://www.youm7.com/story/2024/5/13/x/6573469").name == "youm7"
    assert spider_for_url("https://unknown.example/news/1") is None
    assert spider_or_generic("https://unknown.example/news/1").name == GENERIC


def test_generic_spider_needs_a_source_and_keeps_to_its_hosts():
    from akhbar.spiders.generic import GenericSpider

    with pytest.raises(ValueError, match="needs -a urls="):
        GenericSpider()
    spider = GenericSpider(feed="https://news.example/rss.xml", sitemap="https://other.example/sitemap.xml")
    assert spider.allowed_domains == ["news.example", "other.example"]
    assert spider.is_article_url("https://news.example/2025/02/10/any-story")
    assert spider.is_article_url("https://other.example/a/b?id=3")
    assert not spider.is_article_url("https://elsewhere.example/2025/02/10/any-story")
    assert not spider.is_article_url("https://news.example/feed.xml")


def test_generic_keeps_the_metadata_offset():
    """Zone unknown: the page's metadata offset is the page's clock; none given -> UTC."""
    from scrapy.http import HtmlResponse

    from akhbar.extraction import extract_article
    from akhbar.spiders.generic import GenericSpider

    body = ("<html><head><meta property='og:type' content='article'>"
            "<meta property='article:published_time' content='{}'></head><body><article><h1>عنوان الخبر</h1>"
            + "<p>" + "فقرة من نص الخبر تكفي لتكون نصا رئيسيا للصفحة. " * 4 + "</p>" * 1
            + "<p>" + "وفقرة ثانية من نص الخبر نفسه لتكتمل الصفحة. " * 4 + "</p></article></body></html>")
    for stamp, want in (("2020-12-25T01:59:50+02:00", "2020-12-25T01:59:50+02:00"),
                        ("2020-12-25T01:59:50Z", "2020-12-25T01:59:50+00:00"),
                        ("2020-12-25T01:59:50", "2020-12-25T01:59:50+00:00")):
        response = HtmlResponse(url="https://unknown.example/news/1", body=body.format(stamp).encode(),
                                encoding="utf-8")
        assert extract_article(response, GenericSpider)["published_at"] == want, stamp
