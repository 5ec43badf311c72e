"""CNN بالعربية (arabic.cnn.com), pan-Arab. Layout: 2013 (``cnn_*`` classes).

Country and zone: CNN Arabic is a CNN (Atlanta) service edited from Dubai; its pages print
their stamps in Gulf time, ``(GMT+0400)``, so the outlet is filed under AE / ``Asia/Dubai``
(UTC+4 all year, no DST; a stamp's printed zone is honoured anyway).

The 2013 story page prints one stamp, the time of the LAST UPDATE
(``الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)``) and has no date metadata: the
stamp is ``published_at_raw`` and ``modified_at``; the day of publication is the one in the
URL path (``/2013/middle_east/8/3/``). ``(CNN) --`` in the opening is the outlet's own credit,
not an agency. The comment policy under the story (after the black divider) is not body.
"""

from akhbar.spiders.base import NewsSpider


class CnnSpider(NewsSpider):
    name = "cnn"
    allowed_domains = ["arabic.cnn.com"]
    country = "AE"
    timezone = "Asia/Dubai"
    # feed-urls.tsv: the root feed (seen in 6 projects) and "latest" (3); the 2013 section
    # feeds are historic and the others low confidence.
    feeds = ["https://arabic.cnn.com/rss", "https://arabic.cnn.com/rss/latest"]
    listing_pages = ["https://arabic.cnn.com/"]
    # 2013: /2013/middle_east/8/3/syria.clashes/index.html (or without index.html);
    # current: /middle-east/article/2023/10/30/<slug>
    article_url = (r"^/(?:\d{4}/[a-z_]+/\d{1,2}/\d{1,2}/[^/]+/(?:index\.html)?"
                   r"|[a-z-]+/article/\d{4}/\d{2}/\d{2}/[^/]+/?)$")
    section_url = r"^/(?:middle_east|middle-east|world|business|entertainment|scitech|sport|special)/$"
    printed_date_is_update = True  # "آخر تحديث 14:00 (GMT+0400)"
    url_date = r"^/(?P<y>\d{4})/[^/]+/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"  # 2013 shape

    selectors = {
        "headline": ["div.cnn_storyarea h1"],
        "section": ["#cnn_hdr-nav a.nav-on"],
        "published_at": ["div.cnn_strytmstmp"],
        "body": ["div.cnn_strycntntrgt"],
        "lead_image": ["div.cnn_stryimg640 img"],
    }
    body_exclude = ["div.cnn_divln3pxblck ~ *", ".fb-comments"]
