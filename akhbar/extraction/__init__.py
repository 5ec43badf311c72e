"""Extraction of an Article from a page, apart from crawling.

``extract_article(response, spider)`` works on any Scrapy ``HtmlResponse`` (live, replayed, or
built from a saved file) and a spider class or instance whose declarative attributes say where
things are (see ``akhbar.extraction.config``). ``NotAnArticle(reason)`` is raised only for pages
that cannot be articles; an article page with a missing body is returned as is.
``extract(response, spider)`` gives the same item with, per field, which link of its reader chain
answered (the outlet's selectors, metadata, or the class-independent reading) and the fields the
outlet's selectors no longer give (``Extracted.fallbacks``).
"""

from akhbar.extraction.engine import METADATA, READING, SELECTOR, Extracted, NotAnArticle, extract, extract_article

__all__ = ["METADATA", "READING", "SELECTOR", "Extracted", "NotAnArticle", "extract", "extract_article"]
