"""Test helper: a made-up outlet whose pages share one boilerplate paragraph and a site name.

`write_memory_site(folder, n)` writes n small article pages of the host ``akhbar-test.example``
(written here, from word lists: no real outlet's text), an RSS feed listing them in crawl order
and a replay manifest in the format of replay/*.tsv (akhbar/replay.py), with the generic
spider's arguments on its ``# args:`` line::

    scrapy crawl generic -a feed=https://akhbar-test.example/rss.xml -s AKHBAR_REPLAY=<manifest>

Every page has its own paragraphs, plus:
- the same fixed disclaimer paragraph at the end of the story (the boilerplate; no regex of the
  project's DEFAULT_BOILERPLATE matches it, so only a memory of the crawl can drop it);
- ``<title>`` and ``og:title`` ``<headline> | <site name>``; the headline is in no other element
  (no h1, no JSON-LD headline, no og:site_name), so the item's headline comes from a metadata
  title and shows whether the site name was stripped.
Pages SERIES (four consecutive follow-ups of one story) also share a long background paragraph:
real content on 4 of n pages, never boilerplate.

It returns (manifest, urls in crawl order, the boilerplate lines, the site name).
`page_lines(html)` reads back (story paragraphs, title) of one page as the engine would give
them to the memory (cleaned paragraphs of the story, the metadata title).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import html as lxml_html

from akhbar.text.clean import clean_text

HOST = "akhbar-test.example"
FEED_URL = f"https://{HOST}/rss.xml"
SITE_NAME = "صحيفة المثال اليومية"
BOILERPLATE = ("الآراء الواردة في التقارير المنشورة تعبر عن مصادرها، "
               "وتلتزم الصحيفة بتصحيح أي خطأ يبلغها به القراء.")
# Follow-ups of one story sharing a background paragraph (page indexes).
SERIES = range(10, 14)
SERIES_BACKGROUND = ("وكانت الهيئة قد أعلنت في مطلع العام الماضي عن خطة من ثلاث مراحل لتحديث شبكة "
                     "المياه في الأحياء القديمة، تبدأ بالأحياء الشرقية وتنتهي بالمنطقة الصناعية، "
                     "بتمويل مشترك من الموازنة العامة وصندوق التنمية المحلية.")

_TOPICS = ["افتتاح مكتبة عامة", "تطوير الحدائق", "توسعة الطريق الدائري", "إنشاء مدرسة جديدة",
           "ترميم السوق القديم", "تشغيل حافلات كهربائية", "بناء مستشفى للأطفال",
           "تحديث محطة القطار", "إطلاق مهرجان للكتاب", "تجديد الملعب البلدي"]
_CITIES = ["المدينة الساحلية", "البلدة الجبلية", "الواحة الشرقية", "القرية الخضراء", "الميناء القديم",
           "الضاحية الغربية", "الوادي الكبير", "الجزيرة الصغيرة", "السهل الشمالي", "الهضبة الوسطى"]
_BODIES = ["البلدية", "الهيئة العامة للمشروعات", "وزارة الخدمات", "إدارة المحافظة", "الغرفة التجارية"]
_BENEFITS = ["حركة السياحة", "فرص العمل للشباب", "جودة الخدمات", "أسعار الإيجارات", "الحركة التجارية"]


def article_url(i: int) -> str:
    return f"https://{HOST}/news/2025/03/{1 + i % 28:02d}/story-{5000 + i}"


def headline(i: int) -> str:
    return f"{_TOPICS[i % len(_TOPICS)]} في {_CITIES[(i // len(_TOPICS)) % len(_CITIES)]}"


def own_paragraphs(i: int) -> list[str]:
    """The paragraphs of page i only (numbers drawn from i make each one unique)."""
    topic = _TOPICS[i % len(_TOPICS)]
    city = _CITIES[(i // len(_TOPICS)) % len(_CITIES)]
    body = _BODIES[i % len(_BODIES)]
    paragraphs = [
        f"أعلنت {body} في {city} اليوم بدء مشروع {topic}، ضمن خطة تمتد {3 + i % 5} سنوات "
        f"وتشمل {12 + i} موقعا في أنحاء المنطقة.",
        f"وأوضح متحدث باسم {body} أن الأعمال ستبدأ خلال {2 + i % 7} أسابيع، "
        f"وأن الكلفة تقدر بنحو {40 + 3 * i} مليونا.",
        f"ويتوقع سكان {city} أن ينعكس المشروع رقم {i + 1} على {_BENEFITS[i % len(_BENEFITS)]} "
        "خلال العام المقبل.",
    ]
    if i % 3 == 0:  # pages differ in length, as they do
        paragraphs.append(f"وسيعقد مؤتمر صحفي لعرض تفاصيل المرحلة الأولى يوم {1 + i % 28} من الشهر المقبل.")
    return paragraphs


def story_paragraphs(i: int) -> list[str]:
    """Every paragraph of page i's story, in page order (its own, the series', the boilerplate)."""
    own = own_paragraphs(i)
    series = [SERIES_BACKGROUND] if i in SERIES else []
    return [own[0], *series, *own[1:], BOILERPLATE]


def page_html(i: int) -> str:
    title = f"{headline(i)} | {SITE_NAME}"
    paragraphs = "\n".join(f"      <p>{escape(p)}</p>" for p in story_paragraphs(i))
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<!-- Written by the akhbar developers (tests/memory_pages.py): a made-up outlet, no real text. -->
<title>{escape(title)}</title>
<link rel="canonical" href={quoteattr(article_url(i))}>
<meta property="og:type" content="article">
<meta property="og:title" content={quoteattr(title)}>
<meta property="article:published_time" content="2025-03-{1 + i % 28:02d}T{8 + i % 10:02d}:15:00+03:00">
</head>
<body>
<header><a href="/">{escape(SITE_NAME)}</a>
  <nav><ul><li><a href="/news/">أخبار</a></li><li><a href="/city/">المدينة</a></li></ul></nav>
</header>
<main>
  <article>
    <div class="story-text">
{paragraphs}
    </div>
  </article>
</main>
<footer><a href="/about/">من نحن</a> <a href="/contact/">اتصل بنا</a></footer>
</body>
</html>
"""


def page_lines(html: str) -> tuple[list[str], str]:
    """(cleaned story paragraphs, the metadata title) of one page of this site."""
    root = lxml_html.fromstring(html)
    lines = [clean_text(p.text_content()) for p in root.xpath("//div[@class='story-text']/p")]
    title = root.xpath("string(//meta[@property='og:title']/@content)") or root.findtext(".//title")
    return [line for line in lines if line], clean_text(title)


def write_memory_site(folder: Path, n: int) -> tuple[Path, list[str], frozenset[str], str]:
    """n article pages, their feed and a replay manifest in ``folder``: (manifest, urls in crawl
    order, the boilerplate lines, the site name)."""
    if n > len(_TOPICS) * len(_CITIES):
        raise ValueError(f"at most {len(_TOPICS) * len(_CITIES)} distinct headlines")
    folder = Path(folder)
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    urls = [article_url(i) for i in range(n)]
    rows = [f"# args: feed={FEED_URL}",
            f"# A made-up outlet for OutletMemory (tests/memory_pages.py): {n} article pages sharing "
            "one boilerplate paragraph and a site name.",
            "url\tsource\tstatus\tcontent_type",
            f"{FEED_URL}\tfeed.xml\t200\tapplication/rss+xml; charset=utf-8"]
    for i, url in enumerate(urls):
        (pages / f"{i}.html").write_text(page_html(i), encoding="utf-8")
        rows.append(f"{url}\tpages/{i}.html\t200\ttext/html; charset=utf-8")
    items = "\n".join(f"<item><title>{escape(headline(i))}</title><link>{escape(url)}</link></item>"
                      for i, url in enumerate(urls))
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(SITE_NAME)}</title><link>https://{HOST}/</link>\n{items}\n</channel></rss>\n",
        encoding="utf-8")
    manifest = folder / "replay.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, urls, frozenset([BOILERPLATE]), SITE_NAME
