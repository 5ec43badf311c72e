"""The project's spider loader: Scrapy's, checking every spider's selectors as it loads them.

Enabled by ``SPIDER_LOADER_CLASS = "akhbar.spiderloader.SpiderLoader"`` (akhbar/defaults.py, applied by the add-on):
``scrapy list``, ``scrapy crawl`` and every other command fail at once with ``InvalidSelector``
naming the spider, the field and the selector, instead of a field that silently falls through
on every page. A spider's module itself still imports (a test, a repair tool can read it).
"""

from __future__ import annotations

import scrapy.spiderloader

from akhbar.extraction.config import validate_selectors


class SpiderLoader(scrapy.spiderloader.SpiderLoader):
    def __init__(self, settings) -> None:
        super().__init__(settings)
        for name in self.list():
            validate_selectors(self.load(name))
