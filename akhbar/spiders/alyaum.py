"""Alyaum (اليوم), Saudi Arabia: alyaum.com. Layout: the "aksa" article template (2020).

JSON-LD ``datePublished`` carries the Riyadh offset and agrees with the printed time
(``<time>٠٢:٠٠</time> الثلاثاء ١ / ١٢ / ٢٠٢٠``); its ``dateModified`` only repeats it, so the
update time is read from the ``dateModified`` meta (the CMS edit time, naive Riyadh clock).
The article's gallery (a slider of the story's own images, captions under them) is read as
part of the article so every slide is an image of the item; its captions are never body.
"""

from akhbar.spiders.base import NewsSpider


class AlyaumSpider(NewsSpider):
    name = "alyaum"
    allowed_domains = ["alyaum.com"]
    country = "SA"
    timezone = "Asia/Riyadh"
    # feed-urls.tsv: the feeds seen in several public configurations (1005 in the most).
    feeds = [
        "https://www.alyaum.com/rssFeed/1005",
        "https://www.alyaum.com/rssFeed/1",
    ]
    listing_pages = ["https://www.alyaum.com/"]
    # /articles/6291787/<section slug>/<headline slug> (Arabic, maybe percent-encoded)
    article_url = r"^/articles/\d+(?:/[^/]+){0,2}/?$"

    selectors = {
        "headline": ["div.aksa-to1-main h1", "div.aksa-article-details h1"],
        "section": ["div.aksa-section a", "div.article-section-info a:last-of-type"],
        "published_at": ["div.aksa-o2 div.aksa-date", "div.aksa-date"],
        "modified_meta": ["meta[name='dateModified']::attr(content)"],
        "byline": ["a.aksa-byline", "[class*='aksa-byline']"],
        # The gallery (its non-ajax copy: the ajax copy and the thumbnails repeat it), then the text.
        "body": ["div.noajax-box-image, div.aksa-articleBody"],
        "image_caption": ["div.row-inner-title", "figcaption, [class*='caption']"],
    }
