"""Al Bayan (البيان), Dubai, UAE. Layout: the Polopoly CMS template (2020), with JSON-LD.

The page prints only the day; ``<time class="date published" datetime>`` gives the minute.
JSON-LD ``articleBody`` is truncated: the body is read from the page.
The "source" line ``(أبوظبي - البيان)`` is a dateline and the paper itself, not a person.
"""

from akhbar.spiders.base import NewsSpider


class AlbayanSpider(NewsSpider):
    name = "albayan"
    allowed_domains = ["albayan.ae"]
    country = "AE"
    timezone = "Asia/Dubai"
    feeds = [
        "https://www.albayan.ae/rss",  # feed-urls.tsv: seen in three places
        "https://www.albayan.ae/economy/rss-1.3238435",  # feed-urls.tsv
        "https://www.albayan.ae/sports/rss-1.3238436",  # feed-urls.tsv
        "https://www.albayan.ae/cmlink/1.446",  # "آخر الأخبار": the 2020 pages' <link rel=alternate>
    ]
    listing_pages = ["https://www.albayan.ae/"]
    # /across-the-uae/news-and-reports/2020-06-03-1.3874341
    article_url = r"^/(?:[a-z0-9-]+/)+\d{4}-\d{2}-\d{2}-1\.\d+/?$"
    outlet_names = ["البيان"]

    selectors = {
        "headline": ["div.articledetails h1.title", "article h1"],
        "section": ["ul.breadcrumb li.last-child a", "ul.breadcrumb li:last-child a"],
        "published_at": ["div.publish-date time.published"],
        "published_meta": ["div.publish-date time.published::attr(datetime)"],
        "modified_meta": ["div.publish-date time.modified::attr(datetime)"],
        "byline": ["div.metadata div.source li"],
        "body": ["div#articledetails"],
        "lead_image": ["figure.detailsmedia img"],
    }
    body_exclude = ["div.metadata", "p.follow-google", "div.shareholder"]
