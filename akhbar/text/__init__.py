"""The Arabic text layer: plain Python, no Scrapy imports.

Useful on its own to anyone cleaning an Arabic news corpus::

    from akhbar.text import clean_text, search_key, parse_opening, parse_byline, parse_date

and, for text whose markup says nothing (an unknown layout), what a line is::

    from akhbar.text import date_line, byline_line, source_label_line
"""

from akhbar.text.clean import clean_text, search_key
from akhbar.text.attribution import Attribution, parse_closing, parse_opening, parse_source
from akhbar.text.bylines import parse_byline
from akhbar.text.dates import ParsedDate, parse_date, parse_metadata_date
from akhbar.text.lines import (
    DateLine,
    DateStamp,
    byline_label_line,
    byline_line,
    date_label_line,
    date_line,
    source_label_line,
)

__all__ = [
    "Attribution",
    "DateLine",
    "DateStamp",
    "ParsedDate",
    "byline_label_line",
    "byline_line",
    "clean_text",
    "date_label_line",
    "date_line",
    "parse_byline",
    "parse_closing",
    "parse_date",
    "parse_metadata_date",
    "parse_opening",
    "parse_source",
    "search_key",
    "source_label_line",
]
