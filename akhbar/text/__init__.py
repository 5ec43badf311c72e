"""The Arabic text layer: plain Python, no Scrapy imports. Part of akhbar's public API
(docs/api.md).

Useful on its own to anyone cleaning an Arabic news corpus::

    from akhbar.text import clean_text, search_key, parse_opening, parse_byline, parse_date

>>> from akhbar.text import parse_opening
>>> parse_opening("بيروت - (أ ف ب) - عقد مجلس الوزراء جلسته الأسبوعية.").agencies
['AFP']

the news-agency registry (akhbar/data/agencies.json: codes, names, printed forms)::

    from akhbar.text import AGENCY_CODES, agency_code, find_agencies

and, for text whose markup says nothing (an unknown layout), what a line is::

    from akhbar.text import date_line, byline_line, source_label_line
"""

from akhbar.text.agencies import CODES as AGENCY_CODES
from akhbar.text.agencies import AgencyMatch, find_agencies
from akhbar.text.agencies import lookup as agency_code
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
    "AGENCY_CODES",
    "AgencyMatch",
    "Attribution",
    "DateLine",
    "DateStamp",
    "ParsedDate",
    "agency_code",
    "byline_label_line",
    "byline_line",
    "clean_text",
    "date_label_line",
    "date_line",
    "find_agencies",
    "parse_byline",
    "parse_closing",
    "parse_date",
    "parse_metadata_date",
    "parse_opening",
    "parse_source",
    "search_key",
    "source_label_line",
]
