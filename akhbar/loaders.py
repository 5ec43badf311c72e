"""ArticleLoader: the item's input/output processors, nothing outlet-specific.

Text fields go through the text layer's ``clean_text`` (SCHEMA.md "Text"); empty strings
are dropped, so a selector that matched an empty element leaves the field missing
(``complete()`` then fills ``None`` / ``[]``). Scalars keep their first non-empty value;
list fields keep every value in order. ``images`` and ``related`` hold dicts and are
taken as given (the extraction engine cleans their text).
"""

from __future__ import annotations

from itemloaders import ItemLoader
from itemloaders.processors import Identity, MapCompose, TakeFirst

from akhbar.items import LIST_FIELDS, Article
from akhbar.text import clean_text


def _clean(value):
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = clean_text(value)
    return value or None  # MapCompose drops None: empty strings never reach the item


def _not_empty(value):
    return value if value not in (None, "", [], {}) else None


def _strip(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def _dedupe(values):
    """Keep the first occurrence of each value, in order."""
    seen, out = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


class ArticleLoader(ItemLoader):
    default_item_class = Article
    default_input_processor = MapCompose(_clean)
    default_output_processor = TakeFirst()

    # list fields: cleaned, kept as lists
    authors_out = Identity()
    agencies_in = MapCompose(_clean)
    agencies_out = _dedupe
    body_out = Identity()
    tags_out = _dedupe
    # structured lists: taken as built by the engine
    images_in = MapCompose(_not_empty)
    images_out = Identity()
    related_in = MapCompose(_not_empty)
    related_out = Identity()
    # identifiers and machine values: no text cleaning, only stripping
    url_in = MapCompose(_strip)
    canonical_url_in = MapCompose(_strip)
    scraped_at_in = MapCompose(_not_empty)
    published_at_in = MapCompose(_not_empty)
    modified_at_in = MapCompose(_not_empty)

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
