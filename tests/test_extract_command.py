"""`scrapy extract` on saved pages: one JSON object, or exit 1 with a reason."""

import json
import subprocess
import sys
from pathlib import Path

from shared import CORPUS_DIR, require_shared

ROOT = Path(__file__).resolve().parent.parent
OWN_PAGE = ROOT / "tests" / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"
GENERIC_PAGES = ROOT / "tests" / "pages_generic" / "unknown.example"


def extract(page: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "extract", str(page), "--url", url, *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def assert_extracts_expected_item(page: Path, outlet: str) -> None:
    """`scrapy extract` prints one JSON object: the page's item, as its expected JSON has it."""
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    result = extract(page, expected["url"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    assert item["outlet"] == outlet
    assert item["headline"] == expected["headline"]
    assert item["body"] == expected["body"]


def test_extract_prints_the_item_as_one_json_object():
    assert_extracts_expected_item(OWN_PAGE, "youm7")


def test_a_home_page_is_not_an_article():
    require_shared()
    result = extract(CORPUS_DIR / "listing" / "www.youm7.com-home-2018-03-17.html", "https://www.youm7.com/")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "not an article" in result.stderr


def test_unknown_domain_goes_to_the_generic_spider():
    """No spider covers the domain: the generic spider reads the page (or says it is no article)."""
    assert_extracts_expected_item(GENERIC_PAGES / "2025-02-10-own-generic.html", "generic")
    result = extract(GENERIC_PAGES / "2025-02-11-own-section-page.html", "https://unknown.example/culture/")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "not an article" in result.stderr


def test_unknown_spider_is_a_clear_error():
    result = extract(OWN_PAGE, "https://www.youm7.com/story/2025/1/5/x/1", "--spider", "nope")
    assert result.returncode == 1 and "no spider named 'nope'" in result.stderr


def test_sources_name_the_stale_selectors(tmp_path):
    """With --sources, each field's reader is said, and a renamed body container is named as a
    selector that no longer matches, while the body still comes out (from the reading)."""
    expected = json.loads(OWN_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    result = extract(OWN_PAGE, expected["url"], "--sources")
    assert result.returncode == 0, result.stderr
    assert "body: selector" in result.stderr.splitlines()
    assert "no longer matching" not in result.stderr
    changed = tmp_path / "changed.html"
    html = OWN_PAGE.read_text(encoding="utf-8")
    assert html.count('<div id="articleBody">') == 1
    changed.write_text(html.replace('<div id="articleBody">', '<div id="story-text-v2">'), encoding="utf-8")
    result = extract(changed, expected["url"], "--sources")
    assert result.returncode == 0, result.stderr
    assert "body: reading" in result.stderr.splitlines()
    assert "youm7: selectors no longer matching: body" in result.stderr
    body = json.loads(result.stdout)["body"]
    assert body == expected["body"], body
