"""The article item: the fields of SCHEMA.md, nothing outlet-specific."""

import scrapy

# Fields that hold lists; every other field is a scalar (str or None).
LIST_FIELDS = ("authors", "agencies", "body", "images", "tags", "related")

# Every field, in the order SCHEMA.md gives them (exports keep this order).
FIELDS = (
    "url",
    "canonical_url",
    "outlet",
    "language",
    "headline",
    "subheadline",
    "section",
    "published_at",
    "published_at_raw",
    "modified_at",
    "authors",
    "agencies",
    "agency_raw",
    "dateline",
    "body",
    "images",
    "tags",
    "related",
    "scraped_at",
)


class Article(scrapy.Item):
    url = scrapy.Field()
    canonical_url = scrapy.Field()
    outlet = scrapy.Field()
    language = scrapy.Field()
    headline = scrapy.Field()
    subheadline = scrapy.Field()
    section = scrapy.Field()
    published_at = scrapy.Field()
    published_at_raw = scrapy.Field()
    modified_at = scrapy.Field()
    authors = scrapy.Field()
    agencies = scrapy.Field()
    agency_raw = scrapy.Field()
    dateline = scrapy.Field()
    body = scrapy.Field()
    images = scrapy.Field()  # [{"url": str, "caption": str | None}]
    tags = scrapy.Field()
    related = scrapy.Field()  # [{"block": str, "title": str, "url": str}]
    scraped_at = scrapy.Field()


def complete(item: Article) -> Article:
    """Fill every missing field with its empty value: None, or [] for lists."""
    for name in FIELDS:
        if item.get(name) is None:
            item[name] = [] if name in LIST_FIELDS else None
    return item
