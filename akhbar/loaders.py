"""ArticleLoader: the item's input/output processors, nothing outlet-specific.

Text fields go through the text layer's ``clean_text`` (SCHEMA.md "Text"); empty strings
are dropped, so a selector that matched an empty element leaves the field missing
(``complete()`` then fills ``None`` / ``[]``). Scalars keep their first non-empty value;
list fields keep every value in order. ``images`` and ``related`` hold dicts and are
taken as given (the extraction engine cleans their text).

Public API (docs/api.md): ``ArticleLoader`` and the processors ``clean_value``, ``strip_value``,
``drop_empty`` and ``dedupe``, for loaders of a project's own items. ``ArticleLoader`` itself
works with any Scrapy item class: its processors are chosen by field name, and a field it does
not know is cleaned text taking its first value (example: ``ArticleLoader``).
"""

from __future__ import annotations

from itemloaders import ItemLoader
from itemloaders.processors import Identity, MapCompose, TakeFirst

from akhbar.items import LIST_FIELDS, Article
from akhbar.text import clean_text

__all__ = ["ArticleLoader", "clean_value", "dedupe", "drop_empty", "strip_value"]


def clean_value(value):
    """Input processor of text: ``clean_text`` of the value (made a string first); ``None`` for
    nothing left, so ``MapCompose`` drops it.

    >>> from itemloaders.processors import MapCompose
    >>> MapCompose(clean_value)(["<b>وزير</b>&nbsp;الري", "  ", "ـــ", None])
    ['وزير الري']
    """
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = clean_text(value)
    return value or None  # MapCompose drops None: empty strings never reach the item


def drop_empty(value):
    """Input processor of structured values: ``None`` for ``None``, ``""``, ``[]`` and ``{}``,
    the value itself otherwise (taken as built, not cleaned).

    >>> drop_empty({}) is None, drop_empty({"url": "https://nile-today.example/a.jpg", "caption": None})
    (True, {'url': 'https://nile-today.example/a.jpg', 'caption': None})
    """
    return value if value not in (None, "", [], {}) else None


def strip_value(value):
    """Input processor of identifiers and machine values (URLs, ISO dates): the ends stripped,
    nothing else changed; ``None`` for a blank string.

    >>> strip_value("  https://nile-today.example/news/a%20b  ")
    'https://nile-today.example/news/a%20b'
    >>> strip_value("   ") is None
    True
    """
    if isinstance(value, str):
        return value.strip() or None
    return value


def dedupe(values):
    """Output processor of lists: the first occurrence of each value, in order.

    >>> dedupe(["MENA", "AFP", "MENA"])
    ['MENA', 'AFP']
    """
    seen, out = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


class ArticleLoader(ItemLoader):
    """The loader of akhbar's ``Article``, and of a project's own item with fields of the same names.

    >>> import scrapy
    >>> class Story(scrapy.Item):
    ...     headline = scrapy.Field()
    ...     tags = scrapy.Field()
    ...     views = scrapy.Field()
    >>> loader = ArticleLoader(item=Story())
    >>> found = {"headline": ["", " <b>عنوان</b>  الخبر "], "tags": ["مصر", "الري", "مصر"], "views": ["1200", "1300"]}
    >>> for field, values in found.items():
    ...     _ = loader.add_value(field, values)  # the loader itself, with itemloaders >= 1.3
    >>> dict(loader.load_item())
    {'headline': 'عنوان الخبر', 'tags': ['مصر', 'الري'], 'views': '1200'}
    """

    default_item_class = Article
    default_input_processor = MapCompose(clean_value)
    default_output_processor = TakeFirst()

    # list fields: cleaned, kept as lists
    authors_out = Identity()
    agencies_in = MapCompose(clean_value)
    agencies_out = dedupe
    body_out = Identity()
    tags_out = dedupe
    # structured lists: taken as built by the engine
    images_in = MapCompose(drop_empty)
    images_out = Identity()
    related_in = MapCompose(drop_empty)
    related_out = Identity()
    # identifiers and machine values: no text cleaning, only stripping
    url_in = MapCompose(strip_value)
    canonical_url_in = MapCompose(strip_value)
    scraped_at_in = MapCompose(drop_empty)
    published_at_in = MapCompose(drop_empty)
    modified_at_in = MapCompose(drop_empty)

    # A field's processors are fixed by the loader and item classes: itemloaders looks them up
    # again for every value added and at load_item (a third of the loader's cost); once here.
    _processors: dict = {}

    def get_input_processor(self, field_name: str):
        return self._processor(field_name, "in", super().get_input_processor)

    def get_output_processor(self, field_name: str):
        return self._processor(field_name, "out", super().get_output_processor)

    def _processor(self, field_name: str, kind: str, look_up):
        key = (type(self), type(self.item), field_name, kind)
        proc = self._processors.get(key)
        if proc is None:
            proc = self._processors[key] = look_up(field_name)
        return proc


assert all(f"{name}_out" in ArticleLoader.__dict__ for name in LIST_FIELDS)
