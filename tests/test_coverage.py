"""Layout drift (akhbar/coverage.py): a crawl in which the site's layout changed finishes with
reason ``layout_changed`` and says which field went missing; a healthy crawl finishes as usual.

The replay is built from our own Youm7-layout page (tests/generated_replay.py): 40 article pages.
Two kinds of change:
- the body removed from 12 pages (30%): no reader finds a body, the pages are dropped as no_body
  and count as body missing (the field coverage minimum);
- the body container renamed on 24 pages (60%): the youm7 selectors miss, the class-independent
  reading still gives the body, every item is delivered, and the drift check names the stale
  selectors (more than AKHBAR_FALLBACK_MAX of the pages came through a fallback).
"""

from __future__ import annotations

import json
import subprocess

from scrapy import Spider
from scrapy.utils.test import get_crawler

from generated_replay import ROOT, crawl_command, crawl_env, write_replay

from akhbar.coverage import LAYOUT_CHANGED, FieldCoverage
from akhbar.items import Article

PAGES = 40
CHANGED = 12  # 30 %


def _change_layout(folder, indexes) -> None:
    """The body container renamed on these pages: no selector of the spider finds it any more."""
    for i in indexes:
        page = folder / "pages" / f"{i}.html"
        html = page.read_text(encoding="utf-8")
        assert html.count('<div id="articleBody">') == 1
        page.write_text(html.replace('<div id="articleBody">', '<div class="story-text-v2">'), encoding="utf-8")


def _remove_body(folder, indexes) -> None:
    """The article's text removed from these pages: no reader can find a body."""
    for i in indexes:
        page = folder / "pages" / f"{i}.html"
        html = page.read_text(encoding="utf-8")
        start, end = html.index('<div id="articleBody">'), html.index('<div class="tags">')
        page.write_text(html[:start] + html[end:], encoding="utf-8")


def _crawl(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    manifest = tmp_path / "replay" / "replay.tsv"
    stats = tmp_path / "stats.json"
    result = subprocess.run(
        crawl_command(manifest, f"sqlite:///{tmp_path / 'store.sqlite3'}", stats, *args),
        cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300,
    )
    assert stats.exists(), result.stderr[-3000:]
    return result, json.loads(stats.read_text(encoding="utf-8"))


def test_a_changed_layout_keeps_its_items_and_finishes_with_layout_changed(tmp_path):
    renamed = 24  # 60%: most pages
    write_replay(tmp_path / "replay", PAGES)
    _change_layout(tmp_path / "replay", range(renamed))
    result, stats = _crawl(tmp_path)
    log = result.stderr
    assert stats["finish_reason"] == LAYOUT_CHANGED, log[-3000:]
    assert stats["akhbar/articles"] == PAGES  # the data keeps flowing
    assert stats["akhbar/coverage/body"] == 1.0
    assert stats["akhbar/fallback/body"] == renamed
    assert "akhbar/fallback/headline" not in stats
    assert stats["akhbar/coverage/stale/body"] == 0.5
    assert "akhbar/coverage/below/body" not in stats
    errors = [line for line in log.splitlines() if "ERROR" in line and "Layout changed" in line]
    assert len(errors) == 1, log[-3000:]
    assert "the selectors of youm7 no longer match for body (body 60.0% > 50.0% of 40 article pages" in errors[0]
    assert "SELECTORS STALE" in log


def test_a_few_pages_through_a_fallback_finish_as_usual(tmp_path):
    write_replay(tmp_path / "replay", PAGES)
    _change_layout(tmp_path / "replay", range(CHANGED))
    result, stats = _crawl(tmp_path)
    assert stats["finish_reason"] == "finished", result.stderr[-3000:]
    assert stats["akhbar/articles"] == PAGES
    assert stats["akhbar/fallback/body"] == CHANGED
    assert stats.get("log_count/ERROR", 0) == 0


def test_missing_bodies_finish_with_layout_changed(tmp_path):
    write_replay(tmp_path / "replay", PAGES)
    _remove_body(tmp_path / "replay", range(0, PAGES, PAGES // CHANGED)[:CHANGED])
    result, stats = _crawl(tmp_path)
    log = result.stderr
    assert stats["finish_reason"] == LAYOUT_CHANGED, log[-3000:]
    assert "Closing spider (layout_changed)" in log
    # Every article page counted, the dropped ones too.
    assert stats["akhbar/coverage/pages"] == PAGES
    assert stats["akhbar/dropped/no_body"] == CHANGED
    assert stats["akhbar/articles"] == PAGES - CHANGED
    assert stats["akhbar/coverage/body"] == round((PAGES - CHANGED) / PAGES, 4) == 0.7
    assert stats["akhbar/coverage/body_pages"] == PAGES - CHANGED
    assert stats["akhbar/coverage/headline"] == 1.0
    assert stats["akhbar/coverage/below/body"] == 0.95
    assert "akhbar/coverage/below/headline" not in stats
    # The ERROR names the field, its share and the minimum.
    errors = [line for line in log.splitlines() if "ERROR" in line and "Layout changed" in line]
    assert len(errors) == 1, log[-3000:]
    assert "body found on 70.0% of 40 article pages of youm7, below the minimum 95.0%" in errors[0]
    assert stats["log_count/ERROR"] == 1
    # The table in the log.
    assert "Field coverage of 40 article pages (youm7):" in log
    assert "BELOW" in log


def test_a_healthy_crawl_finishes_with_full_coverage(tmp_path):
    write_replay(tmp_path / "replay", PAGES)
    result, stats = _crawl(tmp_path)
    assert stats["finish_reason"] == "finished", result.stderr[-3000:]
    assert stats.get("log_count/ERROR", 0) == 0
    assert stats["akhbar/coverage/pages"] == PAGES
    for field in ("headline", "body", "published_at", "authors", "agencies", "related"):
        assert stats[f"akhbar/coverage/{field}"] == 1.0, field
    assert not any(key.startswith("akhbar/coverage/below/") for key in stats)


def test_thresholds_are_settings(tmp_path):
    """The same crawl with missing bodies, judged by a lower minimum for body: finished."""
    write_replay(tmp_path / "replay", PAGES)
    _remove_body(tmp_path / "replay", range(CHANGED))
    result, stats = _crawl(tmp_path, "-s", 'AKHBAR_COVERAGE_MIN={"headline": 0.95, "body": 0.5}')
    assert stats["finish_reason"] == "finished", result.stderr[-3000:]
    assert stats["akhbar/coverage/body"] == 0.7


# --- the judgement, without a crawl ------------------------------------------------------------
class _Spider(Spider):
    name = "coverage_test"


def _extension(spider_cls=_Spider, **settings) -> tuple[FieldCoverage, Spider]:
    from akhbar import defaults as project

    defaults = {name: getattr(project, name) for name in ("AKHBAR_COVERAGE_FIELDS", "AKHBAR_COVERAGE_MIN")}
    crawler = get_crawler(spider_cls, {**defaults, "AKHBAR_COVERAGE_MIN_PAGES": 20, **settings})
    return FieldCoverage(crawler), spider_cls()


def _items(extension, n: int, missing_body: int) -> None:
    for i in range(n):
        extension.count(Article(headline="عنوان", body=[] if i < missing_body else ["نص"], published_at=None,
                                authors=[], related=[]))


def test_too_few_pages_are_not_judged():
    extension, spider = _extension()
    _items(extension, 19, missing_body=19)
    assert extension.below(spider) == []
    _items(extension, 1, missing_body=0)
    assert [name for name, _, _ in extension.below(spider)] == ["body", "published_at"]


def test_a_spider_overrides_the_minimums():
    class Lenient(_Spider):
        coverage_min = {"body": 0.5, "published_at": None}  # None: not judged

    extension, spider = _extension(Lenient)
    _items(extension, 20, missing_body=5)
    assert extension.below(spider) == []
    assert extension.minimum(spider) == {"headline": 0.95, "body": 0.5}
    extension, spider = _extension(_Spider)
    _items(extension, 20, missing_body=5)
    assert [(name, share) for name, share, _ in extension.below(spider)] == [("body", 0.75), ("published_at", 0.0)]
