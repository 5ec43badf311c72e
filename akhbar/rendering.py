"""JavaScript rendering of article pages in Chromium (scrapy-playwright), per spider or per URL.

Rendering is slow (a browser tab per page), so it is never on for a whole crawl by default:

- a spider declares ``render_javascript = True`` (every article page) or ``render_url = REGEX``
  (the article pages whose path + query match, like ``article_url``);
- ``-a render=1`` renders every article page of the crawl, ``-a render=0`` none (whatever the
  spider declares), ``-a render=REGEX`` the article pages matching REGEX.

A rendered page is taken when its ``load`` event has fired (its scripts have run). An outlet
whose article arrives later (fetched by a script) declares ``render_wait_for``, a CSS selector:
after the load event the page is taken as soon as that element exists, or after
AKHBAR_RENDER_WAIT seconds without it (the page is then extracted as it is, so a missing article
is a counted drop, not a download error). A page whose load event does not come within
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT (Playwright's 30 s) is a download error, like a timeout.

Only article requests are rendered (``meta["playwright"] = True``, set by
``NewsSpider.article_request``); feeds, sitemaps, listing pages and robots.txt go through
Scrapy's own HTTP handler. The scrapy-playwright download handler is installed only for crawls
that render something (``enable_rendering``, called from ``NewsSpider.from_crawler`` while the
settings can still change): it starts a Playwright driver (a Node.js process; one per scheme,
http and https) at engine start, ~2.5 s, which a crawl that renders nothing must not pay. Even
then, requests without the ``playwright`` meta key are passed on to Scrapy's HTTP/1.1 handler,
and the browser itself is launched at the first rendered request. Under the offline replay (AKHBAR_REPLAY) every request is answered from
the recordings before any download handler, so rendering is not installed at all.

The browser is the system Chromium (``AKHBAR_CHROMIUM``, Debian package ``chromium``), never a
Playwright download; ``AKHBAR_CHROMIUM_ARGS`` keeps it from calling Google services.
"""

from __future__ import annotations

import os
import re
import shutil
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES

PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"

# Resource types a rendered article page does not need. Not images: an aborted image fires its
# `onerror`, and pages whose handler swaps in a fallback image (Youm7) then loop and never load.
SKIPPED_RESOURCE_TYPES = frozenset({"media", "font"})

# Resolves when `selector` matches or after `ms` milliseconds, never rejects (evaluated in the page).
_WAIT_FOR_SELECTOR = """([selector, ms]) => new Promise((resolve) => {
  const until = Date.now() + ms;
  (function poll() {
    const found = document.querySelector(selector) !== null;
    if (found || Date.now() >= until) resolve(found); else setTimeout(poll, 100);
  })();
})"""


def parse_render_arg(value: Any) -> tuple[bool, str | None]:
    """``-a render=...`` -> (render_javascript, render_url)."""
    text = str(value).strip()
    if text.lower() in ("1", "true", "yes", "on"):
        return True, None
    if text.lower() in ("", "0", "false", "no", "off"):
        return False, None
    try:
        re.compile(text)
    except re.error as error:
        raise ValueError(f"-a render={value!r}: expected 1, 0 or a regex of URLs ({error})") from None
    return False, text


def renders_anything(spider) -> bool:
    return bool(getattr(spider, "render_javascript", False) or getattr(spider, "render_url", None))


def should_render(spider, url: str) -> bool:
    """Whether this article URL is fetched through Chromium."""
    if getattr(spider, "render_javascript", False):
        return True
    pattern = getattr(spider, "render_url", None)
    if not pattern:
        return False
    parts = urlsplit(url)
    return re.search(pattern, parts.path + ("?" + parts.query if parts.query else "")) is not None


def render_meta(spider, url: str) -> dict:
    """The request meta of an article request: empty unless the URL is rendered."""
    if not should_render(spider, url):
        return {}
    meta: dict[str, Any] = {"playwright": True}
    wait_for = getattr(spider, "render_wait_for", None)
    if wait_for:
        from scrapy_playwright.page import PageMethod

        settings = getattr(spider, "settings", None)
        seconds = settings.getfloat("AKHBAR_RENDER_WAIT", 10.0) if settings is not None else 10.0
        meta["playwright_page_methods"] = [
            PageMethod("evaluate", _WAIT_FOR_SELECTOR, [wait_for, int(seconds * 1000)])]
    return meta


def chromium_launch_options(settings) -> dict:
    """PLAYWRIGHT_LAUNCH_OPTIONS for the system Chromium; explicit PLAYWRIGHT_LAUNCH_OPTIONS win."""
    options = {
        "executable_path": settings.get("AKHBAR_CHROMIUM") or "/usr/bin/chromium",
        "headless": True,
        "args": list(settings.getlist("AKHBAR_CHROMIUM_ARGS")),
    }
    options.update(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    return options


def enable_rendering(settings) -> None:
    """Install scrapy-playwright for http(s) and point it at the system Chromium.

    Called for crawls that render something, before the settings are frozen. Fails at once,
    saying what to do, when Chromium is missing (rather than failing every rendered page).
    Not under AKHBAR_REPLAY: the replay answers every request, so nothing would reach a browser
    (recorded pages are served as recorded) and the handler's start-up is saved.
    """
    if settings.get("AKHBAR_REPLAY"):
        return
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        raise RuntimeError("rendering JavaScript needs scrapy-playwright (pip install scrapy-playwright)"
                           " — or crawl with -a render=0") from None
    options = chromium_launch_options(settings)
    executable = options.get("executable_path")
    if executable and not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        raise RuntimeError(
            f"rendering JavaScript needs Chromium at {executable}: install it (apt-get install chromium,"
            " or bash scripts/chromium.sh), set AKHBAR_CHROMIUM to its path, or crawl with -a render=0")
    handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
    handlers.update({"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER})
    _set(settings, "DOWNLOAD_HANDLERS", handlers)
    _set(settings, "PLAYWRIGHT_BROWSER_TYPE", "chromium")
    _set(settings, "PLAYWRIGHT_LAUNCH_OPTIONS", options)  # merged with the user's own above
    if not settings.get("PLAYWRIGHT_ABORT_REQUEST"):
        _set(settings, "PLAYWRIGHT_ABORT_REQUEST", "akhbar.rendering.skip_heavy_resource")


def _set(settings, name: str, value: Any) -> None:
    # At least the priority of what is there (a -s NAME=... merged into value must not win over it).
    settings.set(name, value, priority=max(settings.getpriority(name) or 0, SETTINGS_PRIORITIES["spider"]))


def skip_heavy_resource(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: the browser does not download images, media and fonts."""
    return request.resource_type in SKIPPED_RESOURCE_TYPES


def chromium_path() -> str | None:
    """The Chromium rendering would use (AKHBAR_CHROMIUM or /usr/bin/chromium), if installed."""
    return shutil.which(os.environ.get("AKHBAR_CHROMIUM") or "/usr/bin/chromium")
