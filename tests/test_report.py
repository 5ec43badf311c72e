"""`scrapy report` (akhbar/report.py) and the crawl record (akhbar/crawl_record.py).

- The figures of a store filled here with made-up items equal what was counted by hand (SQLite,
  and PostgreSQL when AKHBAR_TEST_POSTGRES_URL names a server).
- The page, opened in the system Chromium (headless, through Playwright), loads with no console
  error and no request leaving the file, draws its charts (plotly's SVG bars, counted) and sets
  Arabic right to left; a screenshot is written. Skips, saying why, when Chromium is absent
  (CI installs it: scripts/chromium.sh, where a skip fails the run).
- A replayed crawl leaves its record in the store: finish reason and drops by reason.

`python tests/test_report.py` writes docs/report.png from the made-up store.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import lxml.html
import pytest

TESTS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS_DIR))  # generated_replay, when run as a script

from generated_replay import ROOT, crawl_command, crawl_env, write_replay  # noqa: E402
from test_storage import database_url  # noqa: E402,F401 - a fixture: an empty SQLite / PostgreSQL store

from akhbar.items import FIELDS  # noqa: E402
from akhbar.layout_drift import rename_classes_and_ids  # noqa: E402
from akhbar.report import NO_AGENCY, PER_DAY_VIEW, chart_per_day, collect, render_html, write_report  # noqa: E402
from akhbar.storage import ArticleStore  # noqa: E402

SCRAPY = [sys.executable, "-m", "scrapy"]
CHROMIUM = os.environ.get("AKHBAR_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DOCS_SCREENSHOT = ROOT / "docs" / "report.png"


def article(outlet: str, n: int, published_at: str | None, agencies=(), dateline=None, **fields) -> dict:
    """A made-up item: every SCHEMA field, the ones not given empty."""
    item = {name: None for name in FIELDS}
    item.update({name: [] for name in ("authors", "agencies", "body", "images", "tags", "related")})
    item.update(url=f"https://{outlet}.example/story/{n}", outlet=outlet, language="ar",
                headline=f"خبر رقم {n}", body=[f"فقرة الخبر رقم {n}"], published_at=published_at,
                agencies=list(agencies), dateline=dateline, scraped_at="2025-03-10T09:00:00+00:00")
    item.update(fields)
    return item


# --- the figures, counted by hand ---------------------------------------------------------

# Two made-up outlets, seven articles. Counted by hand below.
HAND_ITEMS = [
    article("alpha", 1, "2025-03-01T10:00:00+02:00", ["MENA"], "القاهرة", authors=["سمير علي"]),
    article("alpha", 2, "2025-03-01T23:30:00+02:00", ["MENA", "AFP"], "القاهرة", section="سياسة"),
    article("alpha", 3, "2025-03-03", [], "الإسكندرية"),
    article("alpha", 4, None, ["REUTERS"], None, tags=["اقتصاد"]),
    article("beta", 1, "2025-03-02T08:00:00+03:00", ["REUTERS"], "موسكو", canonical_url="https://beta.example/c/1"),
    article("beta", 2, "2025-03-02T09:00:00+03:00", [], "القاهرة", images=[{"url": "https://beta.example/1.jpg", "caption": None}]),
    article("beta", 3, "2025-03-03T12:00:00+03:00", [], ""),
]


def fill(where: Path | str, items: list[dict]) -> ArticleStore:
    """A store (a SQLite file's path, or a database URL) holding the items."""
    store = ArticleStore.open(where if isinstance(where, str) else f"sqlite:///{where}")
    for item in items:
        store.upsert(item)
    return store


def test_figures_equal_the_counts_made_by_hand(database_url):
    with fill(database_url, HAND_ITEMS) as store:
        data = collect(store)

    assert data.articles == {"alpha": 4, "beta": 3}
    assert data.undated == {"alpha": 1, "beta": 0}
    # The outlet's own date: 23:30 at +02:00 on the 1st stays the 1st.
    assert data.per_day == {"alpha": {"2025-03-01": 2, "2025-03-03": 1},
                            "beta": {"2025-03-02": 2, "2025-03-03": 1}}
    assert data.days() == ["2025-03-01", "2025-03-02", "2025-03-03"]
    # alpha: MENA on 1 and 2, AFP on 2, REUTERS on 4, none on 3. beta: REUTERS on 1, none on 2, 3.
    assert data.agency_shares() == {
        "alpha": {"MENA": 2 / 4, "AFP": 1 / 4, "REUTERS": 1 / 4, NO_AGENCY: 1 / 4},
        "beta": {"REUTERS": 1 / 3, NO_AGENCY: 2 / 3},
    }
    # القاهرة: alpha 2, beta 1; then الإسكندرية and موسكو once each (ties by name). "" is no dateline.
    assert data.datelines == [("القاهرة", {"alpha": 2, "beta": 1}),
                              ("الإسكندرية", {"alpha": 1}), ("موسكو", {"beta": 1})]
    coverage = data.coverage_shares()
    assert set(coverage["alpha"]) == set(FIELDS)
    assert coverage["alpha"]["headline"] == 1 and coverage["beta"]["body"] == 1
    assert coverage["alpha"]["published_at"] == 3 / 4 and coverage["beta"]["published_at"] == 1
    assert coverage["alpha"]["agencies"] == 3 / 4 and coverage["beta"]["agencies"] == 1 / 3
    assert coverage["alpha"]["dateline"] == 3 / 4 and coverage["beta"]["dateline"] == 2 / 3
    assert coverage["alpha"]["authors"] == 1 / 4 and coverage["beta"]["authors"] == 0
    assert coverage["alpha"]["section"] == 1 / 4 and coverage["alpha"]["tags"] == 1 / 4
    assert coverage["beta"]["canonical_url"] == 1 / 3 and coverage["beta"]["images"] == 1 / 3
    assert coverage["alpha"]["related"] == 0 and coverage["beta"]["subheadline"] == 0


def test_a_date_that_is_not_one_counts_as_undated(database_url):
    odd = [article("alpha", 1, "2025-03-01T10:00:00+02:00"), article("alpha", 2, "13 مارس 2025"),
           article("alpha", 3, "2025-02-30")]
    with fill(database_url, odd) as store:
        for days in (None, 5):
            data = collect(store, days=days)
            assert data.per_day == {"alpha": {"2025-03-01": 1}}
            assert data.undated == {"alpha": data.articles["alpha"] - 1}
            render_html(data)  # no error
        assert data.articles == {"alpha": 2}  # in the window by its text: 2025-02-30, not a day


def test_a_long_span_of_days_shows_the_last_ones_first(tmp_path):
    items = [article("alpha", 1, "2020-06-01T10:00:00+02:00")]  # a stray old date
    items += [article("alpha", n, f"2025-01-{n:02d}T10:00:00+02:00") for n in range(2, 32)]
    with fill(tmp_path / "store.sqlite3", items) as store:
        data = collect(store)
    figure = chart_per_day(data)
    (trace,) = figure.data
    assert len(trace.x) == 31  # one bar per day with articles, none for the days between
    assert figure.layout.xaxis.type == "date"
    # 2020-06-01 .. 2025-01-31 is more than PER_DAY_VIEW days: the view starts PER_DAY_VIEW days back.
    assert figure.layout.xaxis.range == ("2024-10-31 12:00", "2025-01-31 12:00")
    assert len(data.days()) > PER_DAY_VIEW == 92


def test_days_keeps_the_last_days_up_to_the_newest_article(database_url):
    with fill(database_url, HAND_ITEMS) as store:
        data = collect(store, days=2)
    assert data.window == ("2025-03-02", "2025-03-03")
    # alpha 3 (the 3rd) only: the undated article 4 is out of any window.
    assert data.articles == {"alpha": 1, "beta": 3}
    assert data.agency_shares()["alpha"] == {NO_AGENCY: 1.0}
    assert data.datelines == [("الإسكندرية", {"alpha": 1}), ("القاهرة", {"beta": 1}), ("موسكو", {"beta": 1})]


def test_drops_and_fallbacks_come_from_the_crawl_records(database_url):
    with fill(database_url, HAND_ITEMS) as store:
        store.record_crawl("alpha", "2025-03-04T10:00:00+00:00", "2025-03-04T10:05:00+00:00", "finished",
                           {"akhbar/dropped/http_404": 2, "akhbar/dropped/duplicate": 1,
                            "akhbar/coverage/pages": 10, "akhbar/fallback/body": 4})
        store.record_crawl("alpha", "2025-03-05T10:00:00+00:00", "2025-03-05T10:05:00+00:00", "layout_changed",
                           {"akhbar/dropped/no_body": 3, "akhbar/coverage/pages": 30,
                            "akhbar/fallback/body": 16, "akhbar/fallback/headline": 3})
        data = collect(store)
    assert [c["finish_reason"] for c in data.crawls] == ["layout_changed", "finished"]  # newest first
    assert [counts for _, counts in data.drops()] == [{"http_404": 2, "duplicate": 1}, {"no_body": 3}]
    # Summed over the outlet's crawls: body (4 + 16) / (10 + 30), headline 3 / 40.
    assert data.fallback_shares() == {"alpha": {"body": 0.5, "headline": 3 / 40}}


def test_an_older_store_gets_the_crawls_table_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    with fill(path, HAND_ITEMS[:1]):
        pass
    with sqlite3.connect(path) as connection:  # as version 1 left it: no crawls table
        connection.execute("DROP TABLE crawls")
        connection.execute("DELETE FROM akhbar_schema")
        connection.execute("INSERT INTO akhbar_schema (version) VALUES (1)")
    with ArticleStore.open(f"sqlite:///{path}") as store:
        store.record_crawl("alpha", None, "2025-03-04T10:05:00+00:00", "finished", {"akhbar/articles": 1})
        assert store.crawls()[0]["stats"] == {"akhbar/articles": 1}
        assert store.count() == 1
        assert store.query("SELECT MAX(version) FROM akhbar_schema")[0][0] == 2


def test_the_command_writes_the_page_and_refuses_a_missing_store(tmp_path):
    db = tmp_path / "store.sqlite3"
    fill(db, HAND_ITEMS).close()
    out = tmp_path / "out" / "report.html"
    result = subprocess.run([*SCRAPY, "report", "-o", str(out), "--database", f"sqlite:///{db}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "7 articles of 2 outlets" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot(") == 4  # per day, agencies, datelines, coverage (no crawl yet)
    tree = lxml.html.fromstring(page)
    assert tree.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe") == []  # all inline

    missing = tmp_path / "none.sqlite3"
    result = subprocess.run([*SCRAPY, "report", "-o", str(out), "--database", f"sqlite:///{missing}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == f"scrapy report: no store at {missing} (crawl first, or name one with --database URL)"
    assert not missing.exists()


# --- the page in a real browser -------------------------------------------------------------

# Made-up outlets too: the figures are of no real outlet.
MADE_UP_OUTLETS = ["alpha", "beta", "gamma", "delta"]
MADE_UP_DATELINES = ["القاهرة", "6 أكتوبر", "موسكو", "بيروت", "الرياض", "واشنطن", "غزة", "دبي"]
MADE_UP_AGENCIES = ["MENA", "REUTERS", "AFP", "SPA", "SPUTNIK", "AP"]
MADE_UP_DAYS = 14
MADE_UP_REASONS = ["duplicate", "http_404", "no_body", "soft_404"]


def made_up_store(path: Path) -> ArticleStore:
    """A store of made-up articles (four outlets over two weeks) and six crawl records."""
    rng = random.Random(15)
    first = date(2025, 3, 1)
    store = ArticleStore.open(f"sqlite:///{path}")
    n = 0
    for outlet in MADE_UP_OUTLETS:
        weights = [rng.random() for _ in MADE_UP_AGENCIES]
        for day in range(MADE_UP_DAYS):
            for _ in range(rng.randint(2, 9)):
                n += 1
                agencies = [a for a, w in zip(MADE_UP_AGENCIES, weights) if rng.random() < w / 3][:2]
                dateline = rng.choice(MADE_UP_DATELINES) if rng.random() < 0.7 else None
                store.upsert(article(
                    outlet, n, f"{(first + timedelta(days=day)).isoformat()}T{rng.randint(0, 23):02d}:00:00+02:00",
                    agencies, dateline, authors=["محرر"] if rng.random() < 0.5 else [],
                    section="أخبار" if rng.random() < 0.8 else None,
                    tags=["وسم"] if rng.random() < 0.3 else []))
    for i, outlet in enumerate(MADE_UP_OUTLETS + MADE_UP_OUTLETS[:2]):
        stats = {f"akhbar/dropped/{reason}": rng.randint(0, 6) for reason in MADE_UP_REASONS}
        stats.update({"akhbar/articles": rng.randint(20, 60), "akhbar/coverage/pages": 50,
                      "akhbar/fallback/body": rng.randint(0, 10), "akhbar/fallback/headline": rng.randint(0, 5)})
        store.record_crawl(outlet, f"2025-03-15T0{i}:00:00+00:00", f"2025-03-15T0{i}:20:00+00:00",
                           "finished", stats)
    return store


def require_chromium() -> None:
    from akhbar import rendering

    if rendering.chromium_path() is None:
        pytest.skip(f"Chromium not found at {CHROMIUM} (bash scripts/chromium.sh installs it)")


def open_in_chromium(page_path: Path, screenshot: Path) -> dict:
    """Load the page in headless Chromium, every request but file:// refused; what it saw."""
    from playwright.sync_api import sync_playwright

    found = {"console_errors": [], "page_errors": [], "blocked": [], "bars": {}, "rtl": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: found["console_errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: found["page_errors"].append(str(e)))

            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    found["blocked"].append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_selector("#chart-drops .barlayer .trace", timeout=30_000)
            for chart in ("chart-per-day", "chart-agencies", "chart-datelines", "chart-fallbacks", "chart-drops"):
                # One entry per trace (legend name -> bars drawn), from plotly's SVG.
                found["bars"][chart] = page.evaluate(
                    """id => Array.from(document.querySelectorAll('#' + id + ' .barlayer .trace.bars'))
                        .map(t => [t.__data__[0].trace.name, t.querySelectorAll('.point path').length])""", chart)
            found["heatmap"] = page.evaluate(
                "() => document.querySelectorAll('#chart-coverage .hm image').length")
            found["heatmap_text"] = page.evaluate(
                "() => document.querySelectorAll('#chart-coverage g.heatmap-label text').length")
            # Right to left: in "6 أكتوبر" the digit is drawn right of the word, in the chart's label
            # (SVG text) and in the table (a dir="rtl" cell).
            found["rtl"] = page.evaluate(
                """label => {
                    const svg = Array.from(document.querySelectorAll('#chart-datelines .ytick text'))
                        .find(t => t.textContent.includes(label));
                    const cell = Array.from(document.querySelectorAll('#datelines td[dir=rtl]'))
                        .find(td => td.textContent === label);
                    const x = (node, i) => { const r = document.createRange(); r.setStart(node, i);
                        r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
                    const svgNode = svg && (svg.querySelector('tspan') || svg).firstChild;
                    const svgText = svgNode ? svgNode.textContent : '';
                    return {svg_digit: svgNode ? x(svgNode, svgText.indexOf('6')) : null,
                            svg_word: svgNode ? x(svgNode, svgText.indexOf('أ')) : null,
                            cell_digit: cell ? x(cell.firstChild, 0) : null,
                            cell_word: cell ? x(cell.firstChild, 2) : null};
                }""", "6 أكتوبر")
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return found


def test_the_page_renders_its_charts_offline_in_chromium(tmp_path):
    require_chromium()
    with made_up_store(tmp_path / "store.sqlite3") as store:
        data = write_report(store, tmp_path / "report.html")
    screenshot = tmp_path / "report.png"
    seen = open_in_chromium(tmp_path / "report.html", screenshot)

    assert seen["page_errors"] == [] and seen["console_errors"] == []
    assert seen["blocked"] == []  # nothing tried to leave the file
    # Per day: one trace per outlet, one bar per day of the two weeks.
    assert seen["bars"]["chart-per-day"] == [[o, MADE_UP_DAYS] for o in sorted(MADE_UP_OUTLETS)]
    # Agencies: one trace per agency drawn (all six: fewer than AGENCY_BARS) and "no agency",
    # one bar per outlet each.
    agencies = seen["bars"]["chart-agencies"]
    assert sorted(name for name, _ in agencies) == sorted(MADE_UP_AGENCIES + [NO_AGENCY])
    assert {bars for _, bars in agencies} == {len(MADE_UP_OUTLETS)}
    # Datelines: one trace per outlet, one bar per dateline (all eight are in the top fifteen).
    assert seen["bars"]["chart-datelines"] == [[o, len(MADE_UP_DATELINES)] for o in sorted(MADE_UP_OUTLETS)]
    assert seen["bars"]["chart-fallbacks"] == [["body", len(MADE_UP_OUTLETS)], ["headline", len(MADE_UP_OUTLETS)]]
    # Drops: one trace per reason, one bar per recorded crawl.
    assert seen["bars"]["chart-drops"] == [[r, 6] for r in sorted(MADE_UP_REASONS)]
    assert seen["heatmap"] == 1
    assert seen["heatmap_text"] == len(MADE_UP_OUTLETS) * len(FIELDS)
    rtl = seen["rtl"]
    assert None not in rtl.values(), rtl
    assert rtl["svg_digit"] > rtl["svg_word"] and rtl["cell_digit"] > rtl["cell_word"], rtl
    assert screenshot.stat().st_size > 50_000  # a drawn page, not a blank one
    assert data.total == sum(data.articles.values()) > 0


# --- the crawl record -------------------------------------------------------------------------

def test_a_crawl_leaves_its_record_with_finish_reason_and_drops(tmp_path):
    manifest, urls = write_replay(tmp_path / "replay", 4)
    # A fifth article URL the feed lists, which the replay answers with a 404.
    feed = tmp_path / "replay" / "feed.xml"
    missing = urls[0].replace("9100000", "9199999")
    feed.write_text(feed.read_text(encoding="utf-8").replace(
        "</channel>", f"<item><title>x</title><link>{missing}</link></item></channel>"), encoding="utf-8")
    (tmp_path / "replay" / "gone.html").write_text("<html><body>Not found</body></html>", encoding="utf-8")
    with manifest.open("a", encoding="utf-8") as rows:
        rows.write(f"{missing}\tgone.html\t404\ttext/html; charset=utf-8\n")
    db = tmp_path / "store.sqlite3"
    stats_file = tmp_path / "stats.json"
    result = subprocess.run(crawl_command(manifest, f"sqlite:///{db}", stats_file), cwd=ROOT,
                            env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["akhbar/dropped/http_404"] == 1  # the crawl did drop it

    with ArticleStore.open(f"sqlite:///{db}") as store:
        (record,) = store.crawls()
    assert record["spider"] == "youm7"
    assert record["finish_reason"] == "finished"
    assert record["stats"]["akhbar/dropped/http_404"] == 1
    assert record["stats"]["akhbar/articles"] == 4
    assert record["stats"] == stats
    assert record["started_at"] <= record["finished_at"]

    # The outlet's redesign: every class and id renamed. The coverage check then finishes the
    # crawl "layout_changed" (headline and body through a fallback): the record keeps that reason.
    for page in (tmp_path / "replay" / "pages").glob("*.html"):
        page.write_bytes(rename_classes_and_ids(page.read_bytes()))
    subprocess.run(crawl_command(manifest, f"sqlite:///{db}", stats_file, "-a", "refresh=1",
                                 "-s", "AKHBAR_COVERAGE_MIN_PAGES=4"),
                   cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert json.loads(stats_file.read_text(encoding="utf-8"))["finish_reason"] == "layout_changed"
    with ArticleStore.open(f"sqlite:///{db}") as store:
        newest, oldest = store.crawls()
    assert oldest == record
    assert newest["finish_reason"] == "layout_changed"
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert newest["stats"] == stats  # every stat, as AKHBAR_STATS_FILE writes them
    assert any(key.startswith("akhbar/fallback/") for key in stats) and stats["akhbar/coverage/pages"] == 4


def test_no_record_when_the_store_is_off(tmp_path):
    manifest, _ = write_replay(tmp_path / "replay", 2)
    db = tmp_path / "store.sqlite3"
    result = subprocess.run(crawl_command(manifest, f"sqlite:///{db}", tmp_path / "stats.json",
                                          "-s", "AKHBAR_STORE_ENABLED=False"),
                            cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not db.exists()


def test_a_store_that_cannot_be_written_is_logged_not_raised(tmp_path, caplog):
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from akhbar.crawl_record import CrawlRecord

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    stats.set_value("akhbar/articles", 3)
    (tmp_path / "a-file").write_text("")
    record = CrawlRecord("sqlite:///" + str(tmp_path / "a-file" / "store.sqlite3"), stats)
    record.spider_closed(SimpleNamespace(name="alpha"), "finished")  # no exception
    assert "cannot record the crawl" in caplog.text


if __name__ == "__main__":  # docs/report.png, from the made-up store
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        with made_up_store(Path(folder) / "store.sqlite3") as made_up:
            write_report(made_up, Path(folder) / "report.html")
        open_in_chromium(Path(folder) / "report.html", DOCS_SCREENSHOT)
    print(DOCS_SCREENSHOT)
