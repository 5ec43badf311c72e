"""Monitoring with Spidermon (akhbar/monitors.py) and the item's JSON Schema (akhbar/data/item.schema.json).

The schema: its fields are akhbar.items.FIELDS, every hand-checked expected item of the shared
corpus validates against it (a failure means the schema is wrong), and made-up invalid items fail.

The monitors, on replayed crawls of our own Youm7-layout page (tests/generated_replay.py, 40
article pages): a healthy crawl passes every monitor and notifies nobody; pages that lost their
date fail the field coverage monitor (and the finish reason) and the configured notifications are
sent: a local test action (tests/monitoring_actions.py) and Spidermon's Telegram action in its
fake mode (it logs the message instead of calling Telegram: no traffic leaves the machine); a
renamed body container fails the selectors monitor, and items with a date without offset fail
Spidermon's item validation.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from spidermon.contrib.validation import JSONSchemaValidator

from generated_replay import ROOT, crawl_command, crawl_env, write_replay
from monitoring_actions import BROKEN_DATES
from shared import CORPUS_DIR, require_shared

from akhbar.coverage import LAYOUT_CHANGED
from akhbar.items import FIELDS, LIST_FIELDS
from akhbar.monitors import CrawlMonitors

SCHEMA_PATH = ROOT / "akhbar" / "data" / "item.schema.json"
AGENCIES_PATH = ROOT / "akhbar" / "data" / "agencies.json"
PAGES = 40
MONITORS = len(CrawlMonitors.monitors)
TELEGRAM_TOKEN = "123456:fake-token-for-tests"


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _validate(item: dict) -> tuple[bool, dict]:
    return JSONSchemaValidator(_schema()).validate(item)


# An item as akhbar delivers it (values written here, in SCHEMA's forms).
VALID_ITEM = {
    "url": "https://www.example-news.com/story/2024/5/13/1",
    "canonical_url": "https://www.example-news.com/story/1",
    "outlet": "youm7",
    "language": "ar",
    "headline": "افتتاح مكتبة عامة جديدة",
    "subheadline": None,
    "section": "أخبار مصر",
    "published_at": "2024-05-13T06:00:00+03:00",
    "published_at_raw": "الإثنين، 13 مايو 2024 06:00 ص",
    "modified_at": None,
    "authors": ["أحمد علي"],
    "agencies": ["MENA"],
    "agency_raw": "أ ش أ",
    "dateline": "القاهرة",
    "body": ["الفقرة الأولى.", "الفقرة الثانية."],
    "images": [{"url": "https://img.example-news.com/1.jpg", "caption": None}],
    "tags": ["مكتبات"],
    "related": [{"block": "", "title": "خبر آخر", "url": "https://www.example-news.com/story/2"}],
    "scraped_at": "2026-01-01T10:00:00+00:00",
}


# --- the schema -----------------------------------------------------------------------------------
def test_the_schema_has_exactly_the_items_fields():
    schema = _schema()
    assert tuple(schema["properties"]) == FIELDS
    assert tuple(schema["required"]) == FIELDS



# SCHEMA.md's types: the fields typed "str or null"; every other scalar is a str that must be there.
NULLABLE = {"canonical_url", "subheadline", "section", "published_at", "published_at_raw", "modified_at",
            "agency_raw", "dateline"}


@pytest.mark.parametrize("field", FIELDS)
def test_each_field_has_schemas_type(field):
    if field in LIST_FIELDS:
        assert not _validate({**VALID_ITEM, field: "نص"})[0]  # a list, never a string
        assert not _validate({**VALID_ITEM, field: None})[0]  # missing is [], not null
        assert _validate({**VALID_ITEM, field: []})[0] is (field != "body")  # no article without a body
    else:
        assert not _validate({**VALID_ITEM, field: ["نص"]})[0]
        assert _validate({**VALID_ITEM, field: None})[0] is (field in NULLABLE)


def test_the_schemas_agency_codes_are_the_agency_tables():
    codes = [agency["code"] for agency in json.loads(AGENCIES_PATH.read_text(encoding="utf-8"))["agencies"]]
    assert _schema()["properties"]["agencies"]["items"]["enum"] == codes


def test_a_delivered_item_is_valid():
    assert _validate(VALID_ITEM) == (True, {})
    assert _validate({**VALID_ITEM, "published_at": "2013-08-03"})[0]  # a bare date: no time printed
    assert _validate({**VALID_ITEM, "published_at": None, "authors": [], "agencies": [], "images": []})[0]


@pytest.mark.parametrize(("field", "value"), [
    ("published_at", "2024-05-13T06:00:00"),  # no offset: ambiguous
    ("published_at", "2024-05-13 06:00:00+03:00"),
    ("published_at", "2024-13-45"),
    ("modified_at", "13 مايو 2024"),
    ("authors", "أحمد علي"),  # not a list
    ("authors", [""]),
    ("agencies", ["Reuters"]),  # not a code
    ("headline", ""),
    ("headline", None),
    ("body", []),
    ("language", "en"),
    ("url", "/story/1"),  # not absolute
    ("images", [{"url": "https://img.example-news.com/1.jpg"}]),  # caption missing
    ("related", [{"block": "اقرأ أيضا", "title": "خبر", "url": "story/2"}]),
    ("scraped_at", "2026-01-01T12:00:00+02:00"),  # not UTC
])
def test_made_up_invalid_items_fail(field, value):
    ok, errors = _validate({**VALID_ITEM, field: value})
    assert not ok
    assert any(key == field or key.startswith(f"{field}.") for key in errors), errors


def test_an_item_missing_a_field_fails():
    item = {k: v for k, v in VALID_ITEM.items() if k != "tags"}
    ok, errors = _validate(item)
    assert not ok and "tags" in errors


def test_every_expected_item_of_the_corpus_is_valid():
    """The hand-checked items: a failure means the schema is wrong. An annotation records what the
    page says; the fields of the crawl itself (outlet, language, scraped_at) and a canonical URL
    are not in it, so they are given here in their documented form."""
    require_shared()
    files = sorted((CORPUS_DIR / "expected").glob("**/*.json"))
    assert files
    crawl_fields = {"canonical_url": None, "outlet": "annotated", "language": "ar",
                    "scraped_at": "2026-01-01T10:00:00+00:00"}
    for path in files:
        expected = json.loads(path.read_text(encoding="utf-8"))
        item = {**crawl_fields, **{k: v for k, v in expected.items() if k in FIELDS}}
        assert _validate(item) == (True, {}), path


# --- the monitors, on replayed crawls ------------------------------------------------------------
def _remove_date(folder: Path) -> None:
    """The date gone from every page: the printed date and the machine date of publication."""
    for page in (folder / "pages").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        lines = [line for line in html.splitlines(keepends=True)
                 if 'class="newsStoryDate"' not in line and 'property="article:published_time"' not in line]
        assert len(lines) == len(html.splitlines()) - 2, page
        page.write_text("".join(lines), encoding="utf-8")


def _rename_body(folder: Path) -> None:
    """The body container renamed on every page: the spider's selectors miss, a fallback reads it."""
    for page in (folder / "pages").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.count('<div id="articleBody">') == 1
        page.write_text(html.replace('<div id="articleBody">', '<div class="story-text-v2">'), encoding="utf-8")


def _crawl(tmp_path: Path, *args: str, **env: str) -> tuple[str, dict]:
    manifest = tmp_path / "replay" / "replay.tsv"
    stats = tmp_path / "stats.json"
    notifications = tmp_path / "notification.json"
    result = subprocess.run(
        crawl_command(manifest, f"sqlite:///{tmp_path / 'store.sqlite3'}", stats,
                      "-s", f"AKHBAR_TEST_NOTIFICATION_FILE={notifications}", *args),
        cwd=ROOT, env=crawl_env(**env), capture_output=True, text=True, timeout=300,
    )
    assert stats.exists(), result.stderr[-3000:]
    return result.stderr, json.loads(stats.read_text(encoding="utf-8"))


NOTIFY = {"AKHBAR_NOTIFY": "telegram,monitoring_actions.RecordNotification",
          "SPIDERMON_TELEGRAM_SENDER_TOKEN": TELEGRAM_TOKEN, "SPIDERMON_TELEGRAM_RECIPIENTS": "4242"}
TELEGRAM_FAKE = ("-s", "SPIDERMON_TELEGRAM_FAKE=True")


def _spidermon_section(log: str) -> str:
    """Spidermon's part of the log, for assertion messages."""
    return "\n".join(line for line in log.splitlines() if "Spidermon" in line or line.startswith(("Traceback", "  ", "Assertion")))


def _monitor_lines(log: str) -> dict[str, str]:
    """'Field coverage' -> 'OK' / 'FAIL' / 'SKIPPED', from Spidermon's table in the log."""
    out = {}
    for line in log.splitlines():
        if "[Spidermon] " in line and "... " in line:
            name, status = line.split("[Spidermon] ", 1)[1].rsplit("... ", 1)
            out[name.split("/", 1)[0]] = status.split(" ", 1)[0]
    return out


def test_a_healthy_crawl_passes_every_monitor_and_notifies_nobody(tmp_path):
    write_replay(tmp_path / "replay", PAGES)
    log, stats = _crawl(tmp_path, *TELEGRAM_FAKE, **NOTIFY)
    assert stats["finish_reason"] == "finished", log[-3000:]
    assert stats["akhbar/monitors/failed"] == 0, _spidermon_section(log)
    assert stats["akhbar/monitors/passed"] == MONITORS
    assert set(_monitor_lines(log).values()) <= {"OK", "SKIPPED"}
    assert len(_monitor_lines(log)) == MONITORS
    # Every item went through Spidermon's validation, none broke the schema.
    assert stats["spidermon/validation/items"] == PAGES
    assert "spidermon/validation/items/errors" not in stats
    assert stats["spidermon_field_coverage/Article/body"] == 1.0
    assert not (tmp_path / "notification.json").exists()
    assert "Sending Telegram" not in log and "fake-token" not in log
    assert stats.get("log_count/ERROR", 0) == 0


def test_pages_that_lost_their_date_fail_the_field_coverage_monitor_and_notify(tmp_path):
    write_replay(tmp_path / "replay", PAGES)
    _remove_date(tmp_path / "replay")
    log, stats = _crawl(tmp_path, *TELEGRAM_FAKE, **NOTIFY)
    assert stats["finish_reason"] == LAYOUT_CHANGED, log[-3000:]
    assert stats["akhbar/coverage/published_at"] == 0.0
    assert stats["akhbar/articles"] == PAGES  # the items still flow
    monitors = _monitor_lines(log)
    assert monitors["Field coverage"] == "FAIL", monitors
    assert monitors["Finish reason"] == "FAIL"
    assert monitors["Selectors"] == monitors["Pages fetched"] == "OK"
    assert monitors["Item validation"] == "SKIPPED"  # Spidermon's way of saying: no invalid item
    assert stats["akhbar/monitors/failed/Field coverage"] == 1
    assert "Fields below their minimum (AKHBAR_COVERAGE_MIN) on 40 article pages: published_at 0.0% < 80.0%" in log
    # A failed check is reported by its message, not by the assertion's traceback.
    assert "Traceback (most recent call last)" not in log
    # The local action was told which monitors failed.
    notification = json.loads((tmp_path / "notification.json").read_text(encoding="utf-8"))
    assert notification == {"spider": "youm7", "finish_reason": LAYOUT_CHANGED,
                             "failed": ["Errors", "Field coverage", "Finish reason"]}
    # Spidermon's Telegram action rendered its message (fake mode: logged, not sent), token unseen.
    assert "SendTelegramMessageSpiderFinished... OK" in log, log[-3000:]
    assert TELEGRAM_TOKEN not in log


def test_stale_selectors_and_invalid_items_fail_their_monitors(tmp_path):
    write_replay(tmp_path / "replay", PAGES)
    _rename_body(tmp_path / "replay")
    pipelines = json.dumps({"monitoring_actions.BreakDates": 340})
    log, stats = _crawl(tmp_path, "-s", f"ITEM_PIPELINES={pipelines}")
    monitors = _monitor_lines(log)
    assert monitors["Selectors"] == "FAIL", log[-5000:]
    assert monitors["Field coverage"] == "OK"  # every body was found, through the fallback
    assert monitors["Item validation"] == "FAIL"
    assert stats["akhbar/fallback/body"] == PAGES
    assert stats["spidermon/validation/items/errors"] == BROKEN_DATES
    assert stats["spidermon/validation/fields/errors/not_valid_under_any_schema/published_at"] == BROKEN_DATES
    assert stats["akhbar/articles"] == PAGES  # counted, not dropped
    assert "Selectors no longer match" in log and "body 100.0% > 50.0%" in log
    assert not (tmp_path / "notification.json").exists()  # no notification configured


def test_a_crawl_that_fetched_nothing_fails(tmp_path):
    """Every page of the replay answers 'not recorded' like a refused connection: nothing fetched."""
    folder = tmp_path / "replay"
    folder.mkdir()
    (folder / "replay.tsv").write_text("url\tsource\tstatus\tcontent_type\n", encoding="utf-8")
    log, stats = _crawl(tmp_path)
    monitors = _monitor_lines(log)
    assert monitors["Pages fetched"] == "FAIL", log[-5000:]
    assert stats["akhbar/monitors/failed/Pages fetched"] == 1


# --- the monitors and the notifications, without a crawl -----------------------------------------
def _crawler(spider_cls=None, **settings):
    from scrapy.utils.test import get_crawler

    from akhbar.addon import default_settings
    from akhbar.spiders.youm7 import Youm7Spider

    defaults = {**default_settings(), "AKHBAR_NOTIFY": [], "SPIDERMON_TELEGRAM_SENDER_TOKEN": None}
    return get_crawler(spider_cls or Youm7Spider, {**defaults, **settings})


def _run_monitors(crawler, stats: dict) -> dict[str, bool]:
    """Monitor name -> passed, for a crawl that ended with these stats."""
    from akhbar.monitors import CrawlMonitorRunner

    spider = crawler.spidercls()
    spider.crawler = crawler
    result = CrawlMonitorRunner(spider=spider).run(
        CrawlMonitors(crawler=crawler), stats=stats, crawler=crawler, spider=spider, stats_history=[], job=None)
    failed = {r.monitor.monitor_name for r in result.monitors_failed_results}
    return {r.monitor.monitor_name: r.monitor.monitor_name not in failed for r in result.monitor_results}


def _stats(pages: int, **filled: int) -> dict:
    return {"finish_reason": "finished", "downloader/response_count": pages + 1, "akhbar/coverage/pages": pages,
            **{f"akhbar/coverage/{name}_pages": count for name, count in filled.items()}}


def test_the_coverage_monitor_judges_as_the_crawl_does():
    """One definition: the monitor fails exactly when akhbar/coverage.py finds a field below its
    minimum, the spider's own coverage_min included."""
    from akhbar.coverage import below_minimum
    from akhbar.spiders.youm7 import Youm7Spider

    class Lenient(Youm7Spider):
        coverage_min = {"published_at": 0.5}

    full = {"headline": 40, "body": 40}
    for spider_cls, published, passes in ((Youm7Spider, 32, True), (Youm7Spider, 31, False),
                                          (Lenient, 31, True), (Lenient, 19, False)):
        crawler = _crawler(spider_cls)
        stats = _stats(40, published_at=published, **full)
        assert _run_monitors(crawler, stats)["Field coverage"] is passes, (spider_cls.__name__, published)
        assert (below_minimum(stats, crawler.settings, spider_cls) == []) is passes
    # Too few pages to judge: skipped, not failed.
    assert _run_monitors(_crawler(), _stats(19, published_at=0))["Field coverage"] is True


def test_the_fields_a_spider_declares_selectors_for_are_expected():
    """youm7 declares a selector for tags: reported always, judged once AKHBAR_COVERAGE_DECLARED_MIN is set."""
    from akhbar.coverage import coverage_minimums, declared_fields, expected_fields
    from akhbar.spiders.youm7 import Youm7Spider

    everything = dict.fromkeys([*declared_fields(Youm7Spider), "published_at"], 40)
    stats = _stats(40, **{**everything, "tags": 10})
    assert "tags" in expected_fields(_crawler().settings, Youm7Spider)
    assert _run_monitors(_crawler(), stats)["Field coverage"] is True
    strict = _crawler(AKHBAR_COVERAGE_DECLARED_MIN=0.5)
    assert coverage_minimums(strict.settings, Youm7Spider)["tags"] == 0.5
    assert "modified_at" not in coverage_minimums(strict.settings, Youm7Spider)  # youm7 declares none
    assert _run_monitors(strict, stats)["Field coverage"] is False
    assert _run_monitors(strict, _stats(40, **everything))["Field coverage"] is True


def test_nothing_is_sent_unless_configured(caplog):
    assert CrawlMonitors(crawler=_crawler()).monitors_failed_actions == []
    with caplog.at_level("ERROR"):
        suite = CrawlMonitors(crawler=_crawler(AKHBAR_NOTIFY=["telegram", "pigeon"]))
    assert suite.monitors_failed_actions == []
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("telegram are off" in e and "SPIDERMON_TELEGRAM_SENDER_TOKEN" in e for e in errors), errors
    assert any("pigeon are off" in e and "unknown channel" in e for e in errors), errors


# Spidermon's SMTP action imports scrapy.mail, which Scrapy 2.19 deprecates (not akhbar's to change).
@pytest.mark.filterwarnings("ignore:The scrapy.mail module is deprecated")
def test_configured_channels_become_spidermon_actions():
    crawler = _crawler(AKHBAR_NOTIFY=["telegram", "slack", "email"],
                       SPIDERMON_TELEGRAM_SENDER_TOKEN="t", SPIDERMON_TELEGRAM_RECIPIENTS=["1"],
                       SPIDERMON_SLACK_SENDER_TOKEN="s", SPIDERMON_SLACK_RECIPIENTS=["#news"], SPIDERMON_SLACK_FAKE=True,
                       SPIDERMON_SMTP_HOST="127.0.0.1", SPIDERMON_SMTP_USER="u", SPIDERMON_SMTP_PASSWORD="p",
                       SPIDERMON_EMAIL_SENDER="akhbar@example.org", SPIDERMON_EMAIL_TO=["ops@example.org"])
    suite = CrawlMonitors(crawler=crawler)
    assert [type(a).__name__ for a in suite.monitors_failed_actions] == [
        "SendTelegramMessageSpiderFinished", "SendSlackMessageSpiderFinished", "SendSmtpEmail"]
    always = CrawlMonitors(crawler=_crawler(AKHBAR_NOTIFY=["monitoring_actions.RecordNotification"],
                                            AKHBAR_NOTIFY_ALWAYS=True))
    assert [type(a).__name__ for a in always.monitors_finished_actions] == ["RecordNotification"]
    assert always.monitors_failed_actions == []
