"""The Arabic text layer: plain Python, no Scrapy imports.

Useful on its own to anyone cleaning an Arabic news corpus::

    from akhbar.text import clean_text, search_key, parse_opening, parse_byline, parse_date
"""

from akhbar.text.clean import clean_text, search_key
from akhbar.text.attribution import Attribution, parse_closing, parse_opening, parse_source
from akhbar.text.bylines import parse_byline
from akhbar.text.dates import ParsedDate, parse_date, parse_metadata_date

__all__ = [
    "Attribution",
    "ParsedDate",
    "clean_text",
    "parse_byline",
    "parse_closing",
    "parse_date",
    "parse_metadata_date",
    "parse_opening",
    "parse_source",
    "search_key",
]
