"""The Youm7 spider pointed at the loopback replay site of benchmarks/crawl.py.

Only its domain, feed and start differ from Youm7Spider: `-a base=http://127.0.0.1:PORT`.
Loaded with `-s SPIDER_MODULES=bench_spider` and benchmarks/ on PYTHONPATH.
"""

from akhbar.spiders.youm7 import Youm7Spider


class BenchSpider(Youm7Spider):
    name = "bench"
    allowed_domains = ["127.0.0.1"]
    feeds: list[str] = []
    sitemaps: list[str] = []
    daily_sitemap = None
    listing_pages: list[str] = []

    def __init__(self, *args, base: str = "http://127.0.0.1", **kwargs):
        super().__init__(*args, **kwargs)
        self.feeds = [base.rstrip("/") + "/feed.xml"]
