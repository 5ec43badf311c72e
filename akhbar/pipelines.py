"""Item pipelines: normalise -> validate -> de-duplicate. One concept per class.

Every drop raises DropItem with a named reason and counts `akhbar/dropped/<reason>`
in the crawl stats, so nothing disappears silently.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from akhbar.items import FIELDS, Article, complete
from akhbar.text import clean_text
from akhbar.urls import article_identity

_TEXT_LISTS = ("authors", "agencies", "body", "tags")


def normalize_item(item: Article) -> Article:
    """Every SCHEMA field present, text fields cleaned, empty strings and empty list entries removed.

    Idempotent: items the loaders cleaned pass through unchanged.
    """
    complete(item)
    for name in FIELDS:
        value = item[name]
        if isinstance(value, str) and name not in ("url", "canonical_url", "scraped_at"):
            item[name] = clean_text(value) or None
    for name in _TEXT_LISTS:
        item[name] = [text for text in (clean_text(v) for v in item[name] if v) if text]
    item["images"] = [
        {"url": image["url"], "caption": clean_text(image.get("caption")) or None}
        for image in item["images"] if image.get("url")
    ]
    item["related"] = [
        {"block": clean_text(link.get("block")), "title": clean_text(link.get("title")), "url": link["url"]}
        for link in item["related"] if link.get("url") and clean_text(link.get("title"))
    ]
    return item


def validation_problem(item: Article) -> str | None:
    """The reason an item is not a usable article, or None when it is."""
    if not item.get("headline"):
        return "no_headline"
    if not item.get("body"):
        return "no_body"
    return None


def dedup_key(item: Article) -> str:
    """The canonical URL (else the URL) in the form its variants share: http = https,
    no tracking parameters, no trailing slash (akhbar/urls.py)."""
    return article_identity(item.get("canonical_url") or item["url"])


class _StatsPipeline:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def drop(self, reason: str, item: Article) -> DropItem:
        self.stats.inc_value(f"akhbar/dropped/{reason}")
        return DropItem(f"{reason}: {item.get('url')}")


class NormalizePipeline(_StatsPipeline):
    def process_item(self, item, spider=None):
        return normalize_item(item)


class ValidatePipeline(_StatsPipeline):
    def process_item(self, item, spider=None):
        reason = validation_problem(item)
        if reason:
            raise self.drop(reason, item)
        return item


class DeduplicatePipeline(_StatsPipeline):
    """The same article reached under several URLs is kept once per crawl."""

    def __init__(self, stats) -> None:
        super().__init__(stats)
        self.seen: set[str] = set()

    def process_item(self, item, spider=None):
        key = dedup_key(item)
        if key in self.seen:
            raise self.drop("duplicate", item)
        self.seen.add(key)
        self.stats.inc_value("akhbar/articles")
        return item

