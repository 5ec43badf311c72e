"""Extraction of an Article from a page, apart from crawling.

``extract_article(response, spider)`` works on any Scrapy ``HtmlResponse`` (live, replayed, or
built from a saved file) and a spider class or instance whose declarative attributes say where
things are (see ``akhbar.extraction.config``). ``NotAnArticle(reason)`` is raised only for pages
that cannot be articles; an article page with a missing body is returned as is.
"""

from akhbar.extraction.engine import NotAnArticle, extract_article

__all__ = ["NotAnArticle", "extract_article"]
