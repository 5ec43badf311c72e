"""The Youm7 spider pointed at the bad-input site on 127.0.0.1 (tests/badsite.py).

Only its domains, patterns and start page differ from Youm7Spider: `-a base=http://127.0.0.1:PORT`.
Loaded with `-s SPIDER_MODULES=badsite_spider` and this folder on PYTHONPATH.
"""

from akhbar.spiders.youm7 import Youm7Spider


class BadSiteSpider(Youm7Spider):
    name = "badsite"
    allowed_domains = ["127.0.0.1"]
    feeds = []
    daily_sitemap = None
    # Youm7's story pattern, and its AMP form /amp/story/...
    article_url = r"^/(?:amp/)?story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/\d+/?$"

    def __init__(self, *args, base: str = "http://127.0.0.1", **kwargs):
        super().__init__(*args, **kwargs)
        self.listing_pages = [base.rstrip("/") + "/"]
