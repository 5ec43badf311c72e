"""`scrapy genoutlet` writes a spider that works as written; `scrapy outlets` lists every spider."""

import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from scrapy.http import HtmlResponse

from akhbar.items import FIELDS
from akhbar.replay import ReplayArchive
from shared import require_shared

ROOT = Path(__file__).resolve().parent.parent
OWN_PAGE = ROOT / "tests" / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_genoutlet_writes_a_working_skeleton_and_a_draft_test_entry(tmp_path):
    url = "https://www.example-news.com/news/2025/1/5/123"
    result = scrapy("genoutlet", "example_news", "www.example-news.com", "--timezone", "Asia/Beirut",
                    "--country", "lb", "--page", str(OWN_PAGE), "--url", url, "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    spider_file = tmp_path / "akhbar" / "spiders" / "example_news.py"
    spec = importlib.util.spec_from_file_location("example_news", spider_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    spider = module.ExampleNewsSpider
    assert (spider.name, spider.allowed_domains, spider.country, spider.timezone) == (
        "example_news", ["example-news.com"], "LB", "Asia/Beirut")
    assert spider.is_article_url(url)

    from akhbar.extraction import extract_article
    item = extract_article(HtmlResponse(url=url, body=OWN_PAGE.read_bytes()), spider)
    # The skeleton reads the page's <h1> (our own page: "افتتاح مكتبة عامة جديدة فى حى الزيتون").
    assert item["headline"] == "افتتاح مكتبة عامة جديدة فى حى الزيتون"

    draft_file = tmp_path / "tests" / "pages" / "www.example-news.com" / OWN_PAGE.with_suffix(".json").name
    draft = json.loads(draft_file.read_text(encoding="utf-8"))
    # every SCHEMA field but the crawl's clock, canonical_url included, and every one under review
    assert set(FIELDS) - set(draft) == {"scraped_at"}
    assert draft["review"] == [field for field in FIELDS if field != "scraped_at"]
    assert draft["url"] == url and draft["outlet"] == "example_news" and "DRAFT" in draft["notes"]
    # filled from the class-independent reading: the values a person wrote by reading our own page
    # (its checked expected item), where that reading finds them
    checked = json.loads(OWN_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    for field in ("canonical_url", "language", "headline", "subheadline", "section", "published_at",
                  "published_at_raw", "modified_at", "authors", "agencies", "agency_raw", "dateline", "body",
                  "images", "tags"):
        assert draft[field] == checked[field], field
    # the review marker sits on one line of the file: checking a field is deleting one word
    assert '"review": ["url", "canonical_url",' in draft_file.read_text(encoding="utf-8")
    # the replay row has the manifest's 4 columns, and the replay reads the saved page from it
    manifest = tmp_path / "replay" / "example_news.tsv"
    rows = list(csv.DictReader((line for line in manifest.open(encoding="utf-8") if not line.startswith("#")),
                               delimiter="\t"))
    assert [row["url"] for row in rows] == [url] and None not in rows[0] and all(rows[0].values())
    recording = ReplayArchive.load(manifest).get(url)
    assert recording.path.read_bytes() == OWN_PAGE.read_bytes() and recording.status == 200
    assert recording.content_type.startswith("text/html")
    # the home page on the host the story URLs use (www.), not the bare domain
    assert spider.listing_pages == ["https://www.example-news.com/"]
    # no feed known offline (the page declares none): the spider says what to declare
    source = spider_file.read_text(encoding="utf-8")
    assert spider.feeds == [] and "robots.txt" in source and 'rel="alternate"' in source


def _load_spider(spider_file: Path, class_name: str):
    spec = importlib.util.spec_from_file_location(spider_file.stem, spider_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, class_name)


# A page of our own, as an outlet's article page declares its feeds in its <head>: the site's
# feed (relative) and the page's own comments feed (no stories).
FEED_PAGE = """<html lang="ar"><head><meta charset="utf-8"><title>خبر</title>
<link rel="alternate" type="application/rss+xml" title="آخر الأخبار" href="/rss/latest.xml">
<link rel="alternate" type="application/rss+xml" href="{own_url}/feed">
<link rel="alternate" hreflang="en" href="https://www.example-news.jo/en/">
</head><body><h1>عنوان الخبر</h1><div class="story"><p>نص الخبر.</p></div></body></html>"""


def test_genoutlet_takes_host_story_pattern_and_feeds_from_the_pages(tmp_path):
    slug = "%D8%A7%D9%81%D8%AA%D8%AA%D8%A7%D8%AD-%D9%85%D9%83%D8%AA%D8%A8%D8%A9"  # افتتاح-مكتبة
    first, second = "https://www.example-news.jo/article/123456-" + slug, "https://www.example-news.jo/article/987654-x-y"
    pages = []
    for number, url in enumerate((first, second)):
        page = tmp_path / "saved" / f"story-{number}.html"
        page.parent.mkdir(exist_ok=True)
        page.write_text(FEED_PAGE.format(own_url=url), encoding="utf-8")
        pages += ["--page", str(page), "--url", url]
    root = tmp_path / "project"
    result = scrapy("genoutlet", "example_jo", "example-news.jo", "--timezone", "Asia/Amman", *pages,
                    "--root", str(root))
    assert result.returncode == 0, result.stderr
    spider_file = root / "akhbar" / "spiders" / "example_jo.py"
    spider = _load_spider(spider_file, "ExampleJoSpider")
    assert spider.allowed_domains == ["example-news.jo"]
    assert spider.listing_pages == ["https://www.example-news.jo/"]  # the host the URLs use
    # the site's feed, made absolute; the page's own comments feed and a language link left out
    assert spider.feeds == ["https://www.example-news.jo/rss/latest.xml"]
    assert spider.article_url == r"^/article/\d+-[^/]+/?$"
    assert "Derived from the URL" in spider_file.read_text(encoding="utf-8")
    assert spider.is_article_url(first) and spider.is_article_url("https://example-news.jo/article/555111-z/")
    assert not spider.is_article_url("https://www.example-news.jo/section/politics")
    rows = [line.split("\t") for line in (root / "replay" / "example_jo.tsv").read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    assert [len(row) for row in rows] == [4, 4, 4] and [row[0] for row in rows[1:]] == [first, second]
    # one sentence is no article to the class-independent reading: said, and the expected item
    # left empty, every field under review
    assert result.stderr.count("not an article to the class-independent reading (no_main_text)") == 2
    for number in range(2):
        expected = json.loads((root / "tests" / "pages" / "www.example-news.jo" / f"story-{number}.json")
                              .read_text(encoding="utf-8"))
        assert expected["headline"] is None and expected["body"] == [] and "TODO" in expected["notes"]
        assert expected["review"] == [field for field in FIELDS if field != "scraped_at"]


def test_genoutlet_without_pages_uses_the_host_given(tmp_path):
    result = scrapy("genoutlet", "bare", "www.example.org", "--root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    spider_file = tmp_path / "akhbar" / "spiders" / "bare.py"
    spider = _load_spider(spider_file, "BareSpider")
    assert spider.allowed_domains == ["example.org"] and spider.listing_pages == ["https://www.example.org/"]
    assert "no story URL was given" in spider_file.read_text(encoding="utf-8")


def test_genoutlet_refuses_to_overwrite_and_bad_names(tmp_path):
    assert scrapy("genoutlet", "youm7", "youm7.com", "--root", str(ROOT)).returncode == 1
    result = scrapy("genoutlet", "Bad-Name", "example.com", "--root", str(tmp_path))
    assert result.returncode != 0 and "lower-case" in result.stderr


BROKEN_SPIDER = """from akhbar.spiders.base import NewsSpider


class BrokenSpider(NewsSpider):
    name = "made_up_broken"
    allowed_domains = ["example.com"]
    article_url = r"^/news/\\d+"
    selectors = {"headline": ["normalize-space(//h1)"], "published_at": ["time[datetime"]}
"""


def _broken_spiders(tmp_path: Path) -> dict:
    package = tmp_path / "made_up_spiders"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "broken.py").write_text(BROKEN_SPIDER)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}


def test_a_broken_selector_stops_scrapy_list_and_crawl(tmp_path):
    """Loudly, naming spider, field and selector: at `scrapy list` through the project's
    spider loader, at the start of a crawl through the spider itself (no request is made)."""
    env = _broken_spiders(tmp_path)
    named = "'made_up_broken', field 'published_at': selector 'time[datetime'"
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list", "-s", "SPIDER_MODULES=made_up_spiders"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode != 0 and named in listed.stderr
    crawled = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "made_up_broken", "-s",
                              "SPIDER_MODULES=made_up_spiders", "-a", "urls=https://example.com/news/1"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert crawled.returncode != 0 and named in crawled.stderr
    assert "Crawled" not in crawled.stderr


def test_outlets_lists_every_spider():
    listed = scrapy("list").stdout.split()
    rows = scrapy("outlets").stdout.splitlines()
    assert sorted(row.split()[0] for row in rows) == sorted(name for name in listed if name != "generic")


def test_docs_outlets_md_is_generated_from_the_code():
    require_shared()
    result = scrapy("outlets", "--markdown")
    assert result.returncode == 0, result.stderr
    assert (ROOT / "docs" / "outlets.md").read_text(encoding="utf-8") == result.stdout, (
        "docs/outlets.md is stale: run `scrapy outlets --markdown > docs/outlets.md`")
