"""`scrapy genoutlet` writes a spider that works as written; `scrapy outlets` lists every spider."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from scrapy.http import HtmlResponse

from shared import require_shared

ROOT = Path(__file__).resolve().parent.parent
OWN_PAGE = ROOT / "tests" / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_genoutlet_writes_a_working_skeleton_and_an_unfilled_test_entry(tmp_path):
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

    expected = json.loads((tmp_path / "tests" / "pages" / "www.example-news.com" / OWN_PAGE.with_suffix(".json").name)
                          .read_text(encoding="utf-8"))
    assert expected["url"] == url and expected["headline"] is None and expected["body"] == []
    assert "TODO" in expected["notes"]
    manifest = (tmp_path / "replay" / "example_news.tsv").read_text(encoding="utf-8")
    assert url in manifest


def test_genoutlet_refuses_to_overwrite_and_bad_names(tmp_path):
    assert scrapy("genoutlet", "youm7", "youm7.com", "--root", str(ROOT)).returncode == 1
    result = scrapy("genoutlet", "Bad-Name", "example.com", "--root", str(tmp_path))
    assert result.returncode != 0 and "lower-case" in result.stderr


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
