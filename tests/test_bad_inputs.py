"""A crawl over the bad-input site (tests/badsite.py), served over real HTTP on 127.0.0.1.

Whatever a page does, the crawl goes on: every good article gives its item, every bad page is
counted once under its named reason (akhbar/dropped/<reason>), no exception escapes a callback,
and the only errors logged are Scrapy's "gave up retrying" for the pages that failed every retry.
Politeness (robots.txt, the User-Agent's contact) is checked on the same crawl.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from badsite import BY_NAME, CASES, DISALLOWED, BadSite
from shared import CORPUS_DIR, require_shared

TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent
CONTACT = "mailto:crawl-test@akhbar.example"
RETRY_TIMES = 1


def run_crawl(site: BadSite, tmp_path: Path, *args: str, env_extra: dict | None = None):
    output, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    env = {k: v for k, v in os.environ.items()
           if k not in ("AKHBAR_DATABASE_URL", "AKHBAR_REDIS_URL", "AKHBAR_REPLAY", "AKHBAR_CONTACT")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")]))
    env["AKHBAR_CONTACT"] = CONTACT  # the environment variable the README documents
    env["SCRAPY_SETTINGS_MODULE"] = "akhbar.settings"  # run in tmp_path: nothing written to the repo
    env.update(env_extra or {})
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "badsite", "-a", f"base={site.base}", "-a", "follow=0",
         "-O", str(output), "-s", "SPIDER_MODULES=badsite_spider", "-s", f"AKHBAR_STATS_FILE={stats}",
         "-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 'store.sqlite3'}",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=4",
         "-s", f"RETRY_TIMES={RETRY_TIMES}", "-s", "DOWNLOAD_DELAY=0",
         # The site is bad on purpose: its field coverage (akhbar/coverage.py, tested in
         # test_coverage.py) is no measure of a layout change here.
         "-s", "AKHBAR_COVERAGE_ENABLED=False", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return items, json.loads(stats.read_text(encoding="utf-8")), result.stderr


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    require_shared()
    site = BadSite(CORPUS_DIR).start()
    try:
        items, stats, log = run_crawl(site, tmp_path_factory.mktemp("badsite"))
        yield site, items, stats, log
    finally:
        site.stop()


def _item_for(items, site, case) -> dict:
    """The one item of the case's article, whichever of its URLs (`same_as`) gave it."""
    from urllib.parse import unquote

    urls = {site.case_url(c, c.final_path) for c in CASES if case.name in (c.name, c.same_as)}
    found = [i for i in items if unquote(i["url"]) in urls]
    assert len(found) == 1, (case.name, [i["url"] for i in items])
    return found[0]


def test_no_exception_escapes_and_errors_are_only_the_expected_ones(crawl):
    site, items, stats, log = crawl
    assert stats["finish_reason"] == "finished"
    assert not [k for k in stats if k.startswith("spider_exceptions/")], stats
    # Gave up retrying (logged at ERROR by Scrapy): 500, 503 and the timeout, once each.
    gave_up = re.findall(r"ERROR: Gave up retrying <GET ([^>]+)>", log)
    assert len(gave_up) == 3, gave_up
    assert stats.get("log_count/ERROR", 0) == 3, [line for line in log.splitlines() if "ERROR" in line]
    assert stats["retry/max_reached"] == 3


def test_every_good_article_gives_one_correct_item(crawl):
    site, items, stats, log = crawl
    good = [c for c in CASES if c.outcome == "item"]
    assert len(items) == len(good) == stats["akhbar/articles"]
    for case in good:
        item = _item_for(items, site, case)
        assert item["headline"] == case.headline, case.name
        assert item["body"], case.name
        text = "\n".join(item["body"]) + item["headline"]
        assert "\ufffd" not in text and "Ø" not in text and "Ù" not in text, case.name


def test_a_page_in_a_lying_or_missing_charset_gives_the_same_item_as_the_utf8_page(crawl):
    site, items, stats, log = crawl
    reference = _item_for(items, site, BY_NAME["real_2024"])
    expected = site.expected("real_2024")
    assert reference["body"] == expected["body"]
    for name in ("cp1256_meta", "cp1256_undeclared", "header_lies_utf8", "header_lies_latin1"):
        item = _item_for(items, site, BY_NAME[name])
        for field in ("headline", "subheadline", "body", "authors", "agencies", "dateline", "tags",
                      "published_at"):
            assert item[field] == reference[field], (name, field)


def test_a_truncated_page_keeps_what_arrived(crawl):
    site, items, stats, log = crawl
    item = _item_for(items, site, BY_NAME["truncated_body"])
    full = site.expected("real_2024")["body"]
    assert 1 <= len(item["body"]) < len(full)
    assert item["body"][0] == full[0]


def test_each_bad_page_is_counted_once_under_its_reason(crawl):
    site, items, stats, log = crawl
    expected: dict[str, int] = {}
    for case in CASES:
        if case.outcome.startswith("dropped/"):
            key = "akhbar/" + case.outcome
            expected[key] = expected.get(key, 0) + 1
    got = {k: v for k, v in stats.items() if k.startswith("akhbar/dropped/")}
    assert got == expected


def test_each_page_was_requested_as_often_as_expected(crawl):
    site, items, stats, log = crawl
    for case in CASES:
        if case.hits is not None:
            assert site.hits_of(case.path, tls=case.tls) == case.hits, case.name
        if case.final_path:
            assert site.hits_of(case.final_path) == 1, case.name
    assert site.hits_of("/robots.txt") == 1 and site.hits_of("/robots.txt", tls=True) == 1


def test_discovery_counts(crawl):
    site, items, stats, log = crawl
    assert stats["akhbar/discovery/listings"] == 2  # home + its section page
    assert stats["akhbar/discovery/failed"] == 1  # the section page that is gone (404)
    assert stats["akhbar/discovery/tracking_params_removed"] == 1
    assert stats["akhbar/discovery/skipped_non_article"] >= 1  # the tag page
    assert stats["dupefilter/filtered"] >= 1  # the utm variant of `own`


def test_the_summary_line_says_what_the_crawl_did(crawl):
    """One line at the end: the articles, the drops by reason (most first), the sources."""
    from test_newcomer import tracebacks

    site, items, stats, log = crawl
    drops: dict[str, int] = {}
    for case in CASES:
        if case.outcome.startswith("dropped/"):
            reason = case.outcome[len("dropped/"):]
            drops[reason] = drops.get(reason, 0) + 1
    by_count = sorted(drops.items(), key=lambda pair: (-pair[1], pair[0]))
    good = sum(1 for c in CASES if c.outcome == "item")
    expected = (f"Crawl summary of badsite (finished): {good} articles; {sum(drops.values())} dropped "
                f"({', '.join(f'{reason} {n}' for reason, n in by_count)}); sources: 2 read, 1 failed")
    summaries = [line for line in log.splitlines() if "Crawl summary of badsite" in line]
    assert len(summaries) == 1 and summaries[0].endswith(expected), (summaries, expected)
    assert tracebacks(log) == []


def test_robots_txt_is_obeyed_and_counted(crawl):
    site, items, stats, log = crawl
    assert site.hits_of(DISALLOWED) == 0
    assert stats["robotstxt/forbidden"] == 1


def test_every_request_says_who_crawls_and_how_to_reach_them(crawl):
    site, items, stats, log = crawl
    agents = {r["user_agent"] for r in site.requests}
    assert agents == {f"akhbar/0.1 (+{CONTACT})"}


def test_no_markup_survives_in_any_text_field(crawl):
    """Scripts, event handlers and tags, written as markup or as escaped text (&lt;script&gt;),
    and entities: the items hold the text only."""
    site, items, stats, log = crawl
    item = _item_for(items, site, BY_NAME["xss"])
    captions = [i["caption"] for i in item["images"] if i["caption"]]
    assert item["headline"].startswith("عنوان") and item["headline"].endswith('& "مقتبس"')
    assert any("غامق" in p for p in item["body"]) and "تنتهى هنا." in item["body"]
    assert item["body"][-1].startswith("فقرة خامسة") and item["body"][-1].endswith("مضاعفة.")
    assert captions and all(c == "تعليق الصورة" for c in captions)
    for any_item in items:
        for name, value in any_item.items():
            if name in ("url", "canonical_url") or value is None:
                continue
            flat = json.dumps(value, ensure_ascii=False)
            assert not re.search(r"<\s*/?\s*[a-zA-Z!]", flat), (name, flat[:300])
            assert not re.search(r"\bon[a-z]+\s*=|javascript:", flat, re.I), (name, flat[:300])
            assert not re.search(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);", flat), (name, flat[:300])
