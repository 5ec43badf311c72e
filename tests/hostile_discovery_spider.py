"""A spider of the hostile discovery site on 127.0.0.1 (tests/hostile_discovery.py).

Loaded with `-s SPIDER_MODULES=hostile_discovery_spider` and this folder on PYTHONPATH;
`-a sources=URL,URL...` are its feeds and sitemaps. With `-a peak_rss_file=PATH` it writes there
the peak resident memory (bytes) of the crawl, from the engine's start to the spider's close:
Linux's high-water mark (VmHWM), reset when the crawl starts so that imports do not count.
"""

import re
from pathlib import Path

from akhbar.spiders.base import NewsSpider


class HostileDiscoverySpider(NewsSpider):
    name = "hostile_discovery"
    allowed_domains = ["127.0.0.1"]
    article_url = r"^/story/\d+$"

    def __init__(self, *args, sources: str = "", peak_rss_file: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sitemaps = [url for url in sources.split(",") if url]
        self.peak_rss_file = peak_rss_file

    async def start(self):
        if self.peak_rss_file:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        async for request in super().start():
            yield request

    def closed(self, reason):
        if self.peak_rss_file:
            status = Path("/proc/self/status").read_text()
            kib = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))
            Path(self.peak_rss_file).write_text(str(kib * 1024))
