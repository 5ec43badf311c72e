"""A draft expected item never passes as checked: the data-driven test (tests/test_outlets.py)
refuses an expected item while its review marker (``"review": [fields]``, written by `scrapy
genoutlet`) names a field, even when every value in it is right."""

import json
import shutil
from pathlib import Path

import pytest

import test_outlets
from akhbar.commands.genoutlet import REVIEW_KEY, draft_expected_item, empty_expected_item, expected_item_json
from akhbar.items import FIELDS

OWN_PAGE = Path(__file__).resolve().parent / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"


def _made_up_draft(tmp_path: Path, review) -> Path:
    """Our own page and its checked expected item in tmp_path, with a review marker added."""
    page = tmp_path / OWN_PAGE.name
    shutil.copyfile(OWN_PAGE, page)
    expected = json.loads(OWN_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    expected[REVIEW_KEY] = review
    expected_file = page.with_suffix(".json")
    expected_file.write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    return expected_file


def test_the_data_driven_test_refuses_a_draft_naming_file_and_fields(tmp_path):
    expected_file = _made_up_draft(tmp_path, ["headline", "body"])
    with pytest.raises(pytest.fail.Exception) as refused:
        test_outlets.test_page_gives_expected_item(expected_file.with_suffix(".html"), expected_file)
    message = str(refused.value)
    assert str(expected_file) in message and "2 field(s) left to check" in message
    assert "headline, body" in message


def test_the_same_item_passes_once_every_field_is_checked(tmp_path):
    # the values are the checked ones: only the marker made the test above fail
    expected_file = _made_up_draft(tmp_path, [])
    test_outlets.test_page_gives_expected_item(expected_file.with_suffix(".html"), expected_file)


@pytest.mark.parametrize("marker", ["headline", [["headline"]], {"headline": True}])
def test_a_malformed_review_marker_is_refused_too(tmp_path, marker):
    problem = test_outlets.review_left({REVIEW_KEY: marker}, tmp_path / "x.json")
    assert problem is not None and "must be the list of the fields still to check" in problem


def test_every_field_of_a_genoutlet_draft_is_left_to_check(tmp_path):
    expected_file = tmp_path / "draft.json"
    url = "https://www.example-news.com/news/2025/1/5/123"
    for expected in (draft_expected_item("example_news", url, "x/draft.html", OWN_PAGE.read_bytes()),
                     empty_expected_item("example_news", url, "x/draft.html")):
        expected_file.write_text(expected_item_json(expected), encoding="utf-8")
        problem = test_outlets.review_left(json.loads(expected_file.read_text(encoding="utf-8")), expected_file)
        fields = [field for field in FIELDS if field != "scraped_at"]
        assert problem is not None and f"{len(fields)} field(s) left to check" in problem
        assert ", ".join(fields) in problem


def test_genoutlet_fit_fits_to_the_drafts_provisionally_until_fitspider_fits_the_checked_items(tmp_path):
    import subprocess
    import sys

    from akhbar.commands.fitspider import spider_in_file
    from akhbar.commands.genoutlet import provisional_comment
    from akhbar.extraction import extract
    from scrapy.http import HtmlResponse

    root = Path(__file__).resolve().parent.parent
    checked = json.loads(OWN_PAGE.with_suffix(".json").read_text(encoding="utf-8"))

    def scrapy(*args):
        return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=root, capture_output=True, text=True,
                              timeout=300)

    run = scrapy("genoutlet", "own_outlet", "youm7.com", "--timezone", "Africa/Cairo", "--fit", "--root",
                 str(tmp_path), "--page", str(OWN_PAGE), "--url", checked["url"])
    assert run.returncode == 0, run.stderr
    assert "PROVISIONAL" in run.stdout and "scrapy fitspider own_outlet --write" in run.stdout
    spider_file = tmp_path / "akhbar" / "spiders" / "own_outlet.py"
    assert provisional_comment("own_outlet") in spider_file.read_text(encoding="utf-8")
    saved = tmp_path / "tests" / "pages" / "www.youm7.com" / OWN_PAGE.name
    draft = json.loads(saved.with_suffix(".json").read_text(encoding="utf-8"))
    assert draft[REVIEW_KEY] == [field for field in FIELDS if field != "scraped_at"]  # still a draft
    # the fitted selectors give the draft's values, from the selectors
    spider = spider_in_file(spider_file, "own_outlet")
    extracted = extract(HtmlResponse(url=checked["url"], body=OWN_PAGE.read_bytes()), spider)
    for field in ("headline", "body", "authors", "section"):
        assert extracted.item.get(field) == draft[field], field
        assert extracted.sources.get(field) == "selector", (field, extracted.sources)
    # the drafts checked (here: the hand-checked item), fitspider fits again and the warning goes
    shutil.copyfile(OWN_PAGE.with_suffix(".json"), saved.with_suffix(".json"))
    run = scrapy("fitspider", "own_outlet", "--write", "--spider-file", str(spider_file),
                 "--page", str(saved), "--url", checked["url"])
    assert run.returncode == 0, run.stderr
    assert provisional_comment("own_outlet") not in spider_file.read_text(encoding="utf-8")
