"""`scrapy crawl youm7` over the offline replay: one item per article page, none for the rest."""

import json
import subprocess
import sys
from pathlib import Path

from shared import CORPUS_DIR, require_shared

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "replay" / "youm7.tsv"
SCRAPY = [sys.executable, "-m", "scrapy"]


def crawl(tmp_path, *args: str) -> tuple[list[dict], dict]:
    output, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    subprocess.run(
        [*SCRAPY, "crawl", "youm7", "-O", str(output), "-s", f"AKHBAR_REPLAY={MANIFEST}",
         "-s", f"AKHBAR_CORPUS_DIR={CORPUS_DIR}", "-s", f"AKHBAR_STATS_FILE={stats}",
         "-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 'store.sqlite3'}", *args],
        cwd=ROOT, check=True, capture_output=True, timeout=300,
    )
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return items, json.loads(stats.read_text(encoding="utf-8"))


def recorded_article_urls() -> set[str]:
    """The article pages of the replay manifest whose recorded file exists."""
    from akhbar.replay import ReplayArchive
    from akhbar.spiders.youm7 import Youm7Spider

    archive = ReplayArchive.load(MANIFEST, CORPUS_DIR)
    return {r.url for r in archive.recordings.values() if Youm7Spider.is_article_url(r.url)}


def test_replay_crawl_yields_one_item_per_article_page(tmp_path):
    require_shared()
    items, stats = crawl(tmp_path)
    got = sorted(item["url"] for item in items)
    # The replay holds 3 article pages (2 real, 1 of ours), a feed, and the home page.
    expected_urls = recorded_article_urls()
    assert len(expected_urls) == 3
    from akhbar.replay import replay_key
    assert sorted(map(replay_key, got)) == sorted(map(replay_key, expected_urls))
    assert stats["finish_reason"] == "finished"
    assert stats.get("log_count/ERROR", 0) == 0
    assert stats["akhbar/articles"] == 3
    # The feed's section link and the home page's non-story links were never parsed as articles.
    assert stats["akhbar/discovery/skipped_non_article"] > 0
    assert stats["akhbar/discovery/feeds"] == 1
    assert stats["akhbar/discovery/listings"] == 1
    for item in items:
        assert item["outlet"] == "youm7" and item["headline"] and item["body"]


def test_backfill_arguments_are_checked(tmp_path):
    result = subprocess.run(
        [*SCRAPY, "crawl", "youm7", "-a", "since=2024-13-01", "-s", f"AKHBAR_REPLAY={MANIFEST}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "expected a date as YYYY-MM-DD" in result.stderr
