"""JavaScript rendering (akhbar/rendering.py): switched on per spider / per URL, never by default.

The crawl tests need a real HTTP server (replayed requests never reach a download handler):
tests/js_site is served on 127.0.0.1, and tests/render_spider.py crawls it through the system
Chromium. They skip, saying why, when Chromium is not installed (CI installs it:
scripts/chromium.sh).
"""

import json
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.crawler import Crawler

from akhbar import rendering
from akhbar.spiders.base import NewsSpider

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "js_site"
SPIDER_FILE = Path(__file__).resolve().parent / "render_spider.py"
SCRAPY = [sys.executable, "-m", "scrapy"]


# --- which requests are rendered (no browser needed) -------------------------------------

class _Outlet(NewsSpider):
    name = "outlet"
    allowed_domains = ["example.com"]
    article_url = r"^/story/\d+$"


class _PartlyRendered(_Outlet):
    render_url = r"^/story/9\d*$"


def get_crawler(spidercls, settings_dict: dict | None = None) -> Crawler:
    """A crawler whose settings are not frozen yet, as when Scrapy calls the spider's from_crawler
    (the add-ons, akhbar's among them, have been applied)."""
    settings = Settings()
    settings.setmodule("akhbar.settings", priority="project")
    settings.update(settings_dict or {}, priority="cmdline")
    crawler = Crawler(spidercls, settings)
    crawler.addons.load_settings(crawler.settings)
    return crawler


def test_no_spider_renders_by_default_and_no_browser_handler_is_installed():
    crawler = get_crawler(_Outlet)
    spider = _Outlet.from_crawler(crawler)
    assert "playwright" not in spider.article_request("https://example.com/story/1", hops=0).meta
    handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
    assert rendering.PLAYWRIGHT_HANDLER not in handlers.values()


def test_render_url_renders_the_matching_article_pages_only():
    spider = _PartlyRendered()
    assert spider.article_request("https://example.com/story/91", hops=0).meta["playwright"] is True
    assert "playwright" not in spider.article_request("https://example.com/story/11", hops=0).meta


def test_render_argument_switches_rendering_on_off_or_to_a_pattern(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    settings = {"AKHBAR_CHROMIUM": str(chromium)}

    crawler = get_crawler(_Outlet, settings_dict=settings)
    spider = _Outlet.from_crawler(crawler, render="1")
    assert spider.article_request("https://example.com/story/1", hops=1).meta["playwright"] is True
    assert crawler.settings.getdict("DOWNLOAD_HANDLERS") == {
        "http": rendering.PLAYWRIGHT_HANDLER, "https": rendering.PLAYWRIGHT_HANDLER}
    options = crawler.settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == str(chromium) and options["headless"] is True
    assert "--no-sandbox" in options["args"] and "--disable-background-networking" in options["args"]

    crawler = get_crawler(_PartlyRendered, settings_dict=settings)
    spider = _PartlyRendered.from_crawler(crawler, render="0")
    assert "playwright" not in spider.article_request("https://example.com/story/91", hops=0).meta
    assert rendering.PLAYWRIGHT_HANDLER not in crawler.settings.getdict("DOWNLOAD_HANDLERS").values()

    crawler = get_crawler(_Outlet, settings_dict=settings)
    spider = _Outlet.from_crawler(crawler, render=r"/story/1\d$")
    assert spider.article_request("https://example.com/story/12", hops=0).meta["playwright"] is True
    assert "playwright" not in spider.article_request("https://example.com/story/2", hops=0).meta

    with pytest.raises(ValueError, match="render"):
        _Outlet.from_crawler(get_crawler(_Outlet, settings_dict=settings), render="(")


def test_the_offline_replay_never_installs_the_browser_handler(tmp_path):
    # Replayed requests never reach a download handler: no driver, no Chromium needed.
    settings = {"AKHBAR_REPLAY": "replay/youm7.tsv", "AKHBAR_CHROMIUM": str(tmp_path / "no-chromium")}
    crawler = get_crawler(_Outlet, settings_dict=settings)
    spider = _Outlet.from_crawler(crawler, render="1")
    assert spider.article_request("https://example.com/story/1", hops=0).meta["playwright"] is True
    assert rendering.PLAYWRIGHT_HANDLER not in crawler.settings.getdict("DOWNLOAD_HANDLERS").values()


def test_render_wait_for_waits_for_the_article_but_never_fails_the_page():
    class Waiting(_PartlyRendered):
        render_wait_for = "div.story p"

    meta = Waiting().article_request("https://example.com/story/91", hops=0).meta
    (method,) = meta["playwright_page_methods"]
    assert method.method == "evaluate" and method.args[1] == ["div.story p", 10000]
    assert "playwright_page_methods" not in Waiting().article_request("https://example.com/story/1", hops=0).meta


def test_a_crawl_that_renders_without_chromium_fails_at_once_saying_what_to_do(tmp_path):
    settings = {"AKHBAR_CHROMIUM": str(tmp_path / "no-chromium")}
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        _PartlyRendered.from_crawler(get_crawler(_PartlyRendered, settings_dict=settings))


# --- a page whose article is inserted by JavaScript, crawled for real ------------------------

class _SiteHandler(SimpleHTTPRequestHandler):
    # Story pages have no file extension: they are HTML.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, "": "text/html; charset=utf-8"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_SiteHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def require_chromium() -> None:
    if rendering.chromium_path() is None:
        where = os.environ.get("AKHBAR_CHROMIUM") or "/usr/bin/chromium"
        pytest.skip(f"Chromium not found at {where} (bash scripts/chromium.sh installs it)")


def crawl(tmp_path, urls: list[str], *args: str) -> tuple[list[dict], dict]:
    output, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    env = {k: v for k, v in os.environ.items() if k != "AKHBAR_REPLAY"}  # the real server, not a replay
    result = subprocess.run(
        [*SCRAPY, "runspider", str(SPIDER_FILE), "-a", "urls=" + ",".join(urls), "-O", str(output),
         "-s", f"AKHBAR_STATS_FILE={stats}", "-s", "AUTOTHROTTLE_ENABLED=0",
         "-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 'store.sqlite3'}", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return items, json.loads(stats.read_text(encoding="utf-8"))


def test_article_inserted_by_javascript_is_extracted_with_rendering_on(site, tmp_path):
    require_chromium()
    js, xhr, plain = f"{site}/story/js/1001", f"{site}/story/xhr/1003", f"{site}/story/plain/1002"
    items, stats = crawl(tmp_path, [js, xhr, plain])
    by_url = {item["url"]: item for item in items}
    assert sorted(by_url) == sorted([js, xhr, plain])
    rendered = by_url[js]
    assert rendered["headline"] == "افتتاح محطة جديدة لتحلية المياه في الإسكندرية"
    assert len(rendered["body"]) == 3
    assert rendered["body"][1] == "وقال المحافظ إن المحطة تخدم نحو نصف مليون مواطن في أحياء غرب المدينة."
    assert rendered["agencies"] == ["MENA"] and rendered["dateline"] == "الإسكندرية"
    # Fetched by a script after the load event: taken once render_wait_for matched.
    assert by_url[xhr]["headline"] == "وزير الزراعة يتفقد مزارع القمح في الشرقية"
    assert by_url[xhr]["body"][1] == "وأكد الوزير أن موسم الحصاد يبدأ مطلع الشهر المقبل."
    assert by_url[plain]["headline"] == "ارتفاع منسوب مياه النيل في أسوان"
    assert stats["akhbar/articles"] == 3
    # Only the pages matching render_url went through Chromium; robots.txt and the plain page
    # went through Scrapy's own handler.
    assert stats["playwright/request_count/navigation"] == 2
    assert stats["downloader/request_count"] == 4
    assert stats.get("log_count/ERROR", 0) == 0


def test_article_inserted_by_javascript_is_a_counted_drop_with_rendering_off(site, tmp_path):
    require_chromium()  # the same pages as above, so the two tests prove the difference
    js, xhr, plain = f"{site}/story/js/1001", f"{site}/story/xhr/1003", f"{site}/story/plain/1002"
    items, stats = crawl(tmp_path, [js, xhr, plain], "-a", "render=0")
    assert [item["url"] for item in items] == [plain]
    # The pages' og:title gives a headline; the paragraphs exist only after the scripts ran.
    assert stats["akhbar/dropped/no_body"] == 2
    assert stats["akhbar/articles"] == 1
    assert not [key for key in stats if key.startswith("playwright/")]  # no browser, no driver
    assert stats.get("log_count/ERROR", 0) == 0
