"""Layout drift: the same expected item from a page whose layout changed.

Two kinds of change, made on purpose (``akhbar.layout_drift``) to every page with an expected
item (the shared corpus's real pages and the project's own pages):

- ``renamed``: every class word and id replaced by a meaningless token, consistently within the
  page (a redesign, a CSS-module build);
- ``reordered``: the article wrapped in two more ``div`` levels and the columns of links beside
  it moved before it.

The outlet's spider must give the expected item, field by field, from the changed page: its own
selectors where they still match, its fallbacks (metadata, the class-independent reading) where
they do not. Related lists are compared in page order, except on ``reordered`` pages, where the
change itself moves the lists (compared as a set of entries there).

The generic spider, told nothing about the outlet, must give the same item (all fields but the
modification time and the related lists, ``GENERIC_FIELDS``) from the original and the renamed
page.

``KNOWN_GAPS`` lists, with the reason, each (page, field) the readers do not yet give on a
renamed page: the test fails on any other difference, and on a listed gap that is right now
(remove it, so the list only shrinks).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from shared import CORPUS_DIR, require_shared
from test_outlets import CASES, NOT_COMPARED, describe

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

from akhbar.items import FIELDS  # noqa: E402
from akhbar.layout_drift import rename_classes_and_ids, wrap_and_move_sidebars  # noqa: E402

# (page id, field) -> why the class-independent reading does not give it yet.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _page_id(expected_file: Path) -> str:
    return f"{expected_file.parent.name}/{expected_file.stem}"


def differences(item: dict, expected: dict, *, related_in_order: bool = True) -> dict[str, str]:
    """Field -> a readable difference, for every SCHEMA field the expected item gives."""
    ambiguous = set(expected.get("ambiguous") or [])
    out = {}
    for name, want in expected.items():
        if name in NOT_COMPARED or name in ambiguous or name not in FIELDS:
            continue
        got = item.get(name)
        if name == "related" and not related_in_order:
            same = sorted(map(json.dumps, want)) == sorted(map(json.dumps, got or []))
        else:
            same = got == want
        if not same:
            out[name] = describe(name, want, got)
    return out


def _extract(page: Path, expected: dict, drift, spider=None) -> dict:
    from akhbar.extraction import NotAnArticle, extract_article
    from akhbar.registry import spider_for_url

    url = expected["url"]
    spider = spider or spider_for_url(url)
    response = HtmlResponse(url=url, body=drift(page.read_bytes()), headers={"Content-Type": "text/html"})
    try:
        return dict(extract_article(response, spider))
    except NotAnArticle as error:
        return {"_error": error.reason}


def _case(page: Path, expected_file: Path) -> dict:
    if str(page).startswith(str(CORPUS_DIR)):
        require_shared()
    return json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page,expected_file", CASES)
def test_renamed_page_gives_the_expected_item(page: Path, expected_file: Path):
    expected = _case(page, expected_file)
    item = _extract(page, expected, rename_classes_and_ids)
    assert "_error" not in item, item
    found = differences(item, expected)
    page_id = _page_id(expected_file)
    gaps = {field for (pid, field) in KNOWN_GAPS if pid == page_id}
    unexpected = {f: d for f, d in found.items() if f not in gaps}
    mended = sorted(gaps - set(found))
    assert not unexpected, f"{page_id} renamed: {len(unexpected)} field(s) differ\n\n" + "\n\n".join(unexpected.values())
    assert not mended, f"{page_id} renamed: now right, remove from KNOWN_GAPS: {mended}"


@pytest.mark.parametrize("page,expected_file", CASES)
def test_reordered_page_gives_the_expected_item(page: Path, expected_file: Path):
    expected = _case(page, expected_file)
    item = _extract(page, expected, wrap_and_move_sidebars)
    found = differences(item, expected, related_in_order=False)
    assert not found, f"{_page_id(expected_file)} reordered: {len(found)} field(s) differ\n\n" + "\n\n".join(found.values())


# What the generic spider, told nothing about an outlet, must give exactly on every page: all but
# the modification time (outlets disagree on which edit stamp it is: a judgement per outlet, see
# the corpus notes) and the related lists (a story link is told by the outlet's article URL
# pattern, which the generic spider does not know: it guesses from the URL's shape).
GENERIC_FIELDS = ("headline", "subheadline", "section", "published_at", "published_at_raw", "authors",
                  "agencies", "agency_raw", "dateline", "body", "images", "tags", "canonical_url")


@pytest.mark.parametrize("drift", ["original", "renamed"])
@pytest.mark.parametrize("page,expected_file", CASES)
def test_the_generic_spider_gives_the_expected_item(page: Path, expected_file: Path, drift: str):
    from akhbar.spiders.generic import GenericSpider

    expected = _case(page, expected_file)
    change = rename_classes_and_ids if drift == "renamed" else (lambda html: html)
    item = _extract(page, expected, change, spider=GenericSpider)
    assert "_error" not in item, item
    found = {f: d for f, d in differences(item, expected).items() if f in GENERIC_FIELDS}
    assert not found, f"{_page_id(expected_file)} {drift}, generic spider: {len(found)} field(s) differ\n\n" + \
        "\n\n".join(found.values())
