"""What a ``NewsSpider`` request carries in its meta to the requests that follow from it.

- ``akhbar_hops``: story-to-story links followed to reach the page (0: found by discovery);
- ``akhbar_redirects``: redirects of an article followed so far (akhbar.spiders.routing);
- ``akhbar_listing_depth``: 1 for a section page reached from a listing page;
- ``akhbar_sitemap_depth``: sitemap indexes above a sitemap (akhbar.spiders.discovery);
- ``BACKFILL_DAY``: the day of the daily sitemap a backfill request comes from.
"""

from __future__ import annotations

from scrapy.http import Response

# Request meta of a backfill: the day (ISO date) whose daily sitemap led to the request, carried
# to every request that follows from it (akhbar/progress.py counts the days done with it).
BACKFILL_DAY = "akhbar_day"


def request_meta(response: Response) -> dict:
    """The request's meta; empty for a response built from a saved page (scrapy extract, tests)."""
    return response.request.meta if response.request is not None else {}
