"""`scrapy fitspider`: fitting the Youm7 spider on the project's own Youm7 pages, in a temporary
copy of the spider whose selectors of the fitted fields were removed, gives selectors under which
the data-driven comparison (tests/test_outlets.py) holds on those pages; drafts are refused.
Nothing is written into the repository's akhbar/spiders."""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from scrapy.http import HtmlResponse

import test_outlets
from akhbar.extraction import extract
from akhbar.fitting import FITTED_FIELDS
from akhbar.items import FIELDS

ROOT = Path(__file__).resolve().parent.parent
SPIDER_FILE = ROOT / "akhbar" / "spiders" / "youm7.py"
OWN_PAGES = sorted((ROOT / "tests" / "pages" / "www.youm7.com").glob("*.html"))


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def _page_args(pages) -> list[str]:
    args = []
    for page in pages:
        url = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["url"]
        args += ["--page", str(page), "--url", url]
    return args


def _spider_without_fitted_selectors(tmp_path: Path) -> Path:
    """A copy of the Youm7 spider module whose selectors of the fitted fields are gone."""
    copy = tmp_path / "youm7_copy.py"
    kept = []
    for line in SPIDER_FILE.read_text(encoding="utf-8").splitlines(keepends=True):
        if any(line.lstrip().startswith(f'"{field}":') for field in FITTED_FIELDS):
            continue
        kept.append(line)
    copy.write_text("".join(kept), encoding="utf-8")
    return copy


def _load(path: Path):
    spec = importlib.util.spec_from_file_location("fitted_youm7_copy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Youm7Spider


def test_fitting_youm7_on_its_own_pages_gives_the_expected_items(tmp_path):
    assert len(OWN_PAGES) >= 2
    copy = _spider_without_fitted_selectors(tmp_path)
    before = copy.read_bytes()
    assert not set(FITTED_FIELDS) & set(_load(copy).selectors)
    run = scrapy("fitspider", "youm7", "--spider-file", str(copy), "--write", *_page_args(OWN_PAGES))
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout
    spider = _load(copy)
    for field in ("headline", "section", "published_at", "byline", "body", "lead_image"):
        assert spider.selectors.get(field), f"{field} not fitted:\n{run.stdout}"
    # the rest of the file byte for byte: only the selectors dict changed
    after = copy.read_bytes()
    head, tail = before.split(b"    selectors = {"), after.split(b"    selectors = {")
    assert head[0] == tail[0]
    assert before.split(b"    }\n", 1)[1] == after.split(b"    }\n", 1)[1]
    # the data-driven comparison (tests/test_outlets.py) holds under the fitted selectors
    for page in OWN_PAGES:
        expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        extracted = extract(HtmlResponse(url=expected["url"], body=page.read_bytes()), spider)
        ambiguous = set(expected.get("ambiguous") or [])
        problems = [test_outlets.describe(name, want, extracted.item.get(name))
                    for name, want in expected.items()
                    if name not in test_outlets.NOT_COMPARED and name not in ambiguous and name in FIELDS
                    and extracted.item.get(name) != want]
        assert not problems, f"{page.name}:\n" + "\n".join(problems)
        assert not extracted.fallbacks, (page.name, extracted.sources)


def test_the_spiders_own_selectors_are_kept_and_nothing_is_written_without_write():
    before = SPIDER_FILE.read_bytes()
    run = scrapy("fitspider", "youm7", *_page_args(OWN_PAGES))
    assert run.returncode == 0, run.stderr
    assert '  headline: kept ["div.articleHeader h1", "article h1"]' in run.stdout
    assert "wrote" not in run.stdout
    assert SPIDER_FILE.read_bytes() == before


def test_a_draft_expected_item_is_refused(tmp_path):
    page = tmp_path / OWN_PAGES[0].name
    shutil.copyfile(OWN_PAGES[0], page)
    expected = json.loads(OWN_PAGES[0].with_suffix(".json").read_text(encoding="utf-8"))
    expected["review"] = ["headline", "tags"]
    page.with_suffix(".json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    run = scrapy("fitspider", "youm7", "--page", str(page), "--url", expected["url"])
    assert run.returncode == 1
    assert "a draft, not checked" in run.stderr and "headline, tags" in run.stderr


# --- captions and the update date, on a page written for the test ------------------------------
_CAPTIONED_HEADLINE = "افتتاح مكتبة عامة في وسط المدينة"
_CAPTIONED_BODY = ["افتتح المحافظ اليوم مكتبة عامة جديدة في وسط المدينة تضم آلاف الكتب.",
                   "وقال المحافظ إن المكتبة تفتح أبوابها للجميع طوال أيام الأسبوع."]
_CAPTIONED_PAGE = f"""<html lang="ar"><head><meta charset="utf-8"><title>{_CAPTIONED_HEADLINE}</title>
<meta property="og:type" content="article"><meta name="lastmod" content="2024-05-13T09:00:00+03:00"></head><body>
<div class="story-head"><h1>{_CAPTIONED_HEADLINE}</h1></div>
<div class="lead-pic"><img src="/img/library.jpg"><span class="pic-note">مبنى المكتبة الجديدة</span></div>
<div class="story-text"><p>{_CAPTIONED_BODY[0]}</p>
<div class="inline-pic"><img src="/img/shelves.jpg"><span class="pic-note">رفوف الكتب</span></div>
<p>{_CAPTIONED_BODY[1]}</p></div></body></html>"""


def test_image_captions_the_lead_caption_and_the_update_date_are_fitted():
    from akhbar.fitting import Sample, fit, fitted_selectors, with_selectors
    from akhbar.spiders.base import NewsSpider

    class CaptionedSpider(NewsSpider):
        name = "captioned"
        allowed_domains = ["captioned.example"]
        timezone = "Africa/Cairo"
        article_url = r"^/news/\d+$"
        selectors: dict = {}

    url = "https://captioned.example/news/1"
    expected = {  # read off the page above by hand
        "url": url, "headline": _CAPTIONED_HEADLINE, "body": _CAPTIONED_BODY,
        "images": [{"url": "https://captioned.example/img/library.jpg", "caption": "مبنى المكتبة الجديدة"},
                   {"url": "https://captioned.example/img/shelves.jpg", "caption": "رفوف الكتب"}],
        "modified_at": "2024-05-13T09:00:00+03:00",
    }
    sample = Sample(url=url, body=_CAPTIONED_PAGE.encode("utf-8"), expected=expected, name="captioned")
    results = fit(CaptionedSpider, [sample])
    for key in ("image_caption", "body", "lead_image", "lead_caption", "modified_meta"):
        assert results[key].fitted, (key, results[key].reason)
    # the caption inside the text is a caption, not a paragraph
    assert results["image_caption"].selectors[0] == "span.pic-note"
    assert results["modified_meta"].selectors == ["meta[name='lastmod']::attr(content)"]
    fitted = with_selectors(CaptionedSpider, fitted_selectors(CaptionedSpider, results))
    item = extract(HtmlResponse(url=url, body=sample.body), fitted).item
    assert item["body"] == _CAPTIONED_BODY
    assert item["images"] == expected["images"]
    assert item["modified_at"] == expected["modified_at"]
