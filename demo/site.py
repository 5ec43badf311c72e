"""The demo site: article pages, feeds and home pages of three outlets, replayed offline.

``python -m demo.site OUT_DIR`` (or ``build(OUT_DIR)``) writes, from the story table
(demo/stories.py) and one template per layout (demo/templates/), every page of the demo site
and one replay manifest, ``OUT_DIR/replay.tsv``, for all three outlets (each spider asks only
for its own URLs). It also writes the pages a crawl must drop: a story answered 404, a page
that is no article at an article-shaped address, and a story under a second URL.

Where the shared corpus of real pages is present (``corpus_dir``), the real article pages of
the outlets' own replay manifests (replay/<outlet>.tsv, ``corpus:`` entries) join the site:
the manifest names them and the feeds list them. Without it the site is ours alone, and the
manifest names no absent file.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from demo.stories import OUTLETS, RELATED_BLOCK, STORIES, Story

DEMO_DIR = Path(__file__).resolve().parent
ROOT = DEMO_DIR.parent
TEMPLATES = DEMO_DIR / "templates"
REPLAY_DIR = ROOT / "replay"

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"

WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر")
FEMALE_AUTHORS = {"منى عبد الله", "سارة فوزى", "ريم حسين"}  # the byline verb agrees: كتبت

# Each outlet's addresses, as its spider discovers them (akhbar/spiders/<outlet>.py).
HOME = {"youm7": "https://www.youm7.com/", "albayan": "https://www.albayan.ae/",
        "elbaladtv": "https://elbaladtv.net/"}
FEED = {"youm7": "https://www.youm7.com/rss/SectionRss?SectionID=65",
        "albayan": "https://www.albayan.ae/rss", "elbaladtv": "https://elbaladtv.net/feed/"}
NAME = {"youm7": "اليوم السابع", "albayan": "البيان", "elbaladtv": "قناة صدى البلد"}

# The pages to drop (demo/stories.py: EXPECTED_DROPS).
GONE_URL = "https://www.youm7.com/story/2025/3/4/خبر-حذف-من-الموقع/9200099"
CONTACT_URL = "https://elbaladtv.net/اتصل-بنا/"
DUPLICATE_OF = 5000107  # this albayan story is linked from the home page under a second URL too
DUPLICATE_URL = "https://www.albayan.ae/economy/markets/2025-03-04-1.5000107"


def story_url(story: Story) -> str:
    day = datetime.fromisoformat(story.published_at)
    if story.outlet == "youm7":
        return f"https://www.youm7.com/story/{day.year}/{day.month}/{day.day}/{story.slug}/{story.id}"
    if story.outlet == "albayan":  # the slug is the section's path
        return f"https://www.albayan.ae/{story.slug}/{day:%Y-%m-%d}-1.{story.id}"
    return f"https://elbaladtv.net/{story.slug}/"


def _byline(story: Story) -> str:
    if not story.authors:
        return ""
    verb = "كتبت" if story.authors[0] in FEMALE_AUTHORS and len(story.authors) == 1 else "كتب"
    names = " و".join(story.authors)
    if story.outlet == "elbaladtv":
        links = " و".join(f'<a href="https://elbaladtv.net/author/{i}/">{escape(a)}</a>'
                         for i, a in enumerate(story.authors, 1))
        return f'<div class="jeg_meta_author"><span class="meta_text">{verb}</span> {links}</div>'
    return f'<span class="writeBy">{verb} {escape(names)}</span>'


def _paragraph_texts(story: Story) -> list[str]:
    """The paragraphs as printed: the attribution written the way ``story.opening`` says."""
    body = list(story.body)
    if story.opening == "alone":
        return [f"{story.dateline} ({story.agency_raw})", *body]
    if story.opening == "inline":
        return [f"{story.dateline} ({story.agency_raw}) - {body[0]}", *body[1:]]
    if story.opening == "closing":
        return [*body[:-1], f"{body[-1]} ({story.agency_raw})"]
    return body


def _source_line(story: Story) -> str:
    """Al Bayan's source line: place and agency, or place and the paper itself."""
    return f"({story.dateline} - {story.agency_raw or NAME['albayan']})"


def _printed_date(story: Story) -> str:
    t = datetime.fromisoformat(story.published_at)
    if story.outlet == "youm7":  # الأحد، 02 مارس 2025 09:40 ص
        hour = t.hour % 12 or 12
        return (f"{WEEKDAYS[t.weekday()]}، {t.day:02d} {MONTHS[t.month - 1]} {t.year} "
                f"{hour:02d}:{t.minute:02d} {'ص' if t.hour < 12 else 'م'}")
    if story.outlet == "albayan":  # 02 مارس 2025 (the minute is in <time datetime>)
        return f"{t.day:02d} {MONTHS[t.month - 1]} {t.year}"
    hour = t.hour % 12 or 12  # 2025/03/02 - 3:30 مساءً
    return f"{t:%Y/%m/%d} - {hour}:{t.minute:02d} {'صباحًا' if t.hour < 12 else 'مساءً'}"


def _jsonld(story: Story, url: str, image: str) -> str:
    if story.outlet == "albayan":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "inLanguage": "ar", "url": url,
                "headline": story.headline, "articleSection": story.section,
                "datePublished": story.published_at, "dateModified": story.published_at,
                "keywords": ", ".join(story.tags), "image": {"@type": "ImageObject", "url": image},
                "publisher": {"@type": "Organization", "name": NAME["albayan"]},
                "mainEntityOfPage": url}
    else:  # Rank Math's graph; its headline carries the channel's name (the h1 does not)
        data = {"@context": "https://schema.org", "@graph": [
            {"@type": "Organization", "@id": "https://elbaladtv.net/#company", "name": NAME["elbaladtv"]},
            {"@type": "WebPage", "@id": f"{url}#webpage", "url": url, "name": f"{story.headline} - {NAME['elbaladtv']}",
             "datePublished": story.published_at, "dateModified": story.published_at, "inLanguage": "ar"},
            {"@type": "NewsArticle", "headline": f"{story.headline} - {NAME['elbaladtv']}",
             "datePublished": story.published_at, "dateModified": story.published_at,
             "articleSection": story.section, "image": {"@id": f"{url}#primaryImage"},
             "isPartOf": {"@id": f"{url}#webpage"}, "mainEntityOfPage": {"@id": f"{url}#webpage"}},
        ]}
    return json.dumps(data, ensure_ascii=False, indent=1)


def _related(story: Story, by_id: dict[int, Story]) -> str:
    rows = []
    for other in (by_id[i] for i in story.related):
        href, title = escape(story_url(other)), escape(other.headline)
        if story.outlet == "youm7":
            rows.append(f'<div class="news-dev8"><h3><a href="{href}">{title}</a></h3></div>')
        elif story.outlet == "albayan":
            rows.append(f'<li><a href="{href}">{title}</a></li>')
        else:
            rows.append(f'<article class="jeg_post"><h3 class="jeg_post_title"><a href="{href}">{title}</a></h3></article>')
    return "\n".join(rows)


def _tag_links(story: Story) -> str:
    if story.outlet == "youm7":
        return "\n".join(f'<h3><a href="/Tags/Index?id={i}&amp;tag={escape(t)}">{escape(t)}</a></h3>'
                         for i, t in enumerate(story.tags, 1))
    return "".join(f'<a href="https://elbaladtv.net/tag/{escape(t.replace(" ", "-"))}/" rel="tag">{escape(t)}</a>'
                   for t in story.tags)


def article_html(story: Story, by_id: dict[int, Story]) -> str:
    url = story_url(story)
    published = datetime.fromisoformat(story.published_at)
    image = {"youm7": f"https://img.youm7.com/large/demo-{story.id}.jpg",
             "albayan": f"https://www.albayan.ae/polopoly_fs/1.{story.id}!/image/image.jpg",
             "elbaladtv": f"https://elbaladtv.net/wp-content/uploads/2025/03/demo-{story.id}.jpg"}[story.outlet]
    paragraphs = "\n".join(f"      <p>{escape(p)}</p>" for p in _paragraph_texts(story))
    fields = {
        "id": story.id, "headline": escape(story.headline), "canonical": escape(url),
        "description": escape(story.body[0]), "image": escape(image), "section": escape(story.section),
        "section_slug": escape(story.section.replace(" ", "-")), "section_path": escape(story.slug),
        # Youm7 writes its Cairo clock with a Z; WordPress gives the instant in UTC.
        "clock_with_z": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "utc_time": published.astimezone(timezone.utc).isoformat(),
        "datetime_compact": published.strftime("%Y-%m-%dT%H:%M%z"),
        "printed_date": _printed_date(story), "byline": _byline(story), "paragraphs": paragraphs,
        "source": escape(_source_line(story)) if story.opening == "source" else "",
        "meta_tags": "\n".join(f'<meta property="article:tag" content="{escape(t)}">' for t in story.tags),
        "tag_links": _tag_links(story), "related": _related(story, by_id),
        "related_block": RELATED_BLOCK[story.outlet],
        "jsonld": _jsonld(story, url, image) if story.outlet != "youm7" else "",
    }
    return Template((TEMPLATES / f"{story.outlet}.html").read_text(encoding="utf-8")).substitute(fields)


def home_html(outlet: str, links: list[tuple[str, str]]) -> str:
    items = "\n".join(f'  <li><h3><a href="{escape(url)}">{escape(title)}</a></h3></li>' for url, title in links)
    return (f'<!DOCTYPE html>\n<!-- Written by the akhbar developers: the demo home page of {outlet}. -->\n'
            f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{NAME[outlet]}</title></head>\n'
            f'<body><h1>{NAME[outlet]}</h1>\n<ul class="latest">\n{items}\n</ul></body></html>\n')


def feed_xml(outlet: str, links: list[tuple[str, str]]) -> str:
    items = "\n".join(f"<item><title>{xml_escape(title)}</title><link>{xml_escape(url)}</link></item>"
                      for url, title in links)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<!-- Written by the akhbar developers: the demo feed of '
            f'{outlet}. -->\n<rss version="2.0"><channel><title>{xml_escape(NAME[outlet])}</title>'
            f"<link>{HOME[outlet]}</link>\n{items}\n</channel></rss>\n")


GONE_HTML = ('<!DOCTYPE html>\n<html lang="ar"><head><meta charset="utf-8"><title>الصفحة غير موجودة</title></head>'
             '<body><h1>404</h1><p>الصفحة التي تبحث عنها غير موجودة.</p></body></html>\n')
CONTACT_HTML = ('<!DOCTYPE html>\n<!-- Written by the akhbar developers: a page that is no article. -->\n'
                '<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>اتصل بنا - قناة صدى البلد</title>'
                '</head><body><div class="jeg_main"><ul><li><a href="https://elbaladtv.net/">الرئيسية</a></li>'
                '<li><a href="https://elbaladtv.net/category/فن/">فن</a></li></ul>'
                '<form><label>الاسم</label><input name="n"><label>البريد</label><input name="e">'
                '<button>إرسال</button></form></div></body></html>\n')


def real_pages(outlet: str, corpus_dir: Path | None) -> list[tuple[str, str, str, str]]:
    """The manifest rows of replay/<outlet>.tsv naming a real article page in the shared corpus,
    for the pages present in ``corpus_dir``: (url, source, status, content_type)."""
    from scrapy.utils.misc import load_object

    if corpus_dir is None or not corpus_dir.is_dir():
        return []
    spider = load_object(f"akhbar.spiders.{outlet}.{outlet.capitalize()}Spider")
    rows = []
    with (REPLAY_DIR / f"{outlet}.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            source = row["source"].strip()
            if (source.startswith("corpus:") and spider.is_article_url(row["url"])
                    and (corpus_dir / source.removeprefix("corpus:")).is_file()):
                rows.append((row["url"], source, row.get("status") or "200", row.get("content_type") or HTML))
    return rows


def build(out_dir: str | Path, corpus_dir: str | Path | None = None) -> Path:
    """Write the demo site into ``out_dir``; return its replay manifest."""
    out = Path(out_dir)
    corpus = Path(corpus_dir) if corpus_dir else None
    by_id = {s.id: s for s in STORIES}
    rows: list[tuple[str, str, str, str]] = []

    def write(rel: str, text: str, url: str, status: int = 200, content_type: str = HTML) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows.append((url, rel, str(status), content_type))

    for outlet in OUTLETS:
        stories = [s for s in STORIES if s.outlet == outlet]
        for story in stories:
            write(f"{outlet}/{story.id}.html", article_html(story, by_id), story_url(story))
        feed = [(story_url(s), s.headline) for s in stories if s.feed]
        home = [(story_url(s), s.headline) for s in stories if s.home]
        real = real_pages(outlet, corpus)
        rows.extend(real)
        feed += [(url, "صفحة حقيقية من المدونة المشتركة") for url, *_ in real]
        if outlet == "youm7":
            feed.append((GONE_URL, "خبر حذف من الموقع"))
            write("youm7/gone.html", GONE_HTML, GONE_URL, status=404)
        if outlet == "albayan":
            home.append((DUPLICATE_URL, by_id[DUPLICATE_OF].headline))
            rows.append((DUPLICATE_URL, f"albayan/{DUPLICATE_OF}.html", "200", HTML))
        if outlet == "elbaladtv":
            home.append((CONTACT_URL, "اتصل بنا"))
            write("elbaladtv/contact.html", CONTACT_HTML, CONTACT_URL)
        write(f"{outlet}/feed.xml", feed_xml(outlet, feed), FEED[outlet], content_type=RSS)
        write(f"{outlet}/home.html", home_html(outlet, home), HOME[outlet])

    manifest = out / "replay.tsv"
    lines = ["# The demo site (demo/site.py): pages written by the akhbar developers; corpus: the real pages.",
             "url\tsource\tstatus\tcontent_type", *("\t".join(row) for row in rows)]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def expected_urls() -> dict[str, str]:
    """Every demo story's URL -> its outlet (the articles a crawl must deliver)."""
    return {story_url(s): s.outlet for s in STORIES}


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m demo.site OUT_DIR [CORPUS_DIR]")
    print(build(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None))
