"""The spider's arguments (``-a NAME=VALUE``): read and checked before the crawl starts.

``-a urls=URL[,URL...]``, ``-a since=YYYY-MM-DD`` / ``until=``, ``-a follow=N``, ``-a refresh=1``
(``-a render=`` is read by akhbar.rendering). A value that cannot be used raises
``SpiderArgumentError`` naming the argument.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable
from urllib.parse import urlsplit


class SpiderArgumentError(ValueError):
    """A spider argument (``-a NAME=VALUE``) that cannot be used; the message names it.
    ``scrapy crawl`` reports it in one line and exits with status 2 (akhbar/commands/crawl.py)."""


def parse_flag(value: str | None, name: str) -> bool:
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    raise SpiderArgumentError(f"-a {name}={value!r}: expected 1 or 0")


def parse_count(value: str, name: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise SpiderArgumentError(f"-a {name}={value!r}: expected a whole number, 0 or more")
    return number


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SpiderArgumentError(f"-a {name}={value!r}: expected a date as YYYY-MM-DD") from None


def parse_urls(value: str | None) -> list[str]:
    """The URLs of ``-a urls=``, comma-separated, each an http(s) URL."""
    urls = [u.strip() for u in (value or "").split(",") if u.strip()]
    for url in urls:
        if not is_http_url(url):
            raise SpiderArgumentError(f"-a urls: {url!r} is not an http(s) URL")
    return urls


def is_http_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an invalid IPv6 host or port
        return False


def backfill_days(first: date, last: date) -> Iterable[date]:
    """Each day from ``-a since`` to ``-a until``, both included."""
    if last < first:
        raise SpiderArgumentError(f"-a until={last} is before -a since={first}")
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


class ForeignUrlsMixin:
    """Part of ``NewsSpider``: the ``-a urls=`` pages that are not the spider's own."""

    def _leave_out_foreign_urls(self) -> None:
        """``-a urls=`` pages on other domains than the spider's are not fetched (the offsite
        filter would drop them without a word): each is warned about, naming the spider's domains
        and the spider that covers it, and counted (``akhbar/discovery/foreign_url``). When none
        is left, the crawl does not start (``SpiderArgumentError``)."""
        foreign = [url for url in self.article_urls if not self.owns_domain(urlsplit(url).hostname or "")]
        if not foreign:
            return
        domains = ", ".join(self.allowed_domains) or "none"
        notes = [f"{url} is not on the domains of {self.name} ({domains}){_other_spider(url, self.name)}"
                 for url in foreign]
        if len(foreign) == len(self.article_urls):
            raise SpiderArgumentError("-a urls: " + "; ".join(notes))
        for note in notes:
            self.logger.warning("-a urls: %s: not fetched", note)
        self._foreign_urls = len(foreign)  # counted once the crawl has its stats (start)
        self.article_urls = [url for url in self.article_urls if url not in foreign]


def _other_spider(url: str, name: str) -> str:
    """Which spider to crawl a URL with, as the end of a sentence."""
    from akhbar import registry  # here: the registry imports the spiders, which import this module

    other = registry.spider_for_url(url)
    if other is not None and other.name != name:
        return f"; `scrapy crawl {other.name} -a urls=...` fetches it"
    return "; `scrapy crawl generic -a urls=...` reads a page of any outlet"
