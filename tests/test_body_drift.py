"""The generic spider's body when a page's classes and ids are all renamed (a redesign,
``akhbar.layout_drift.rename_classes_and_ids``): it must stand on structure, not class names.

Per corpus page with an expected item, on the renamed page:

- every paragraph of the expected body comes out, in order, and from the story's first
  paragraph on the body IS the expected body: no caption, comment-zone, comment-policy, footer
  or related-list line leaks between or after the story's paragraphs;
- no line of the body is an image caption of the page (the expected ``images[].caption``);
- before the first paragraph only what the page prints above its story about the story may
  remain: the printed date (``published_at_raw``), a byline naming an expected author, a bare
  label (``المصدر:``) or the source line naming the dateline; the text layer reads those (a known
  gap of this reader, not a zone's leak). A reading-time chip, a header line, a caption may not.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from shared import CORPUS_DIR, require_shared

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from scoring import cases  # noqa: E402

CASES = cases(CORPUS_DIR) if CORPUS_DIR.is_dir() else []


def _renamed_generic_body(page: Path, expected: dict) -> list[str]:
    from scrapy.http import HtmlResponse

    from akhbar.extraction import extract_article
    from akhbar.layout_drift import rename_classes_and_ids
    from akhbar.spiders.generic import GenericSpider

    response = HtmlResponse(url=expected["url"], body=rename_classes_and_ids(page.read_bytes()),
                            headers={"Content-Type": "text/html"})
    return list(extract_article(response, GenericSpider)["body"] or [])


@pytest.mark.parametrize("page,expected", CASES or [pytest.param(None, None, id="no-corpus")],
                         ids=lambda v: v.name if isinstance(v, Path) else "")
def test_renamed_page_body_has_no_zone_lines(page, expected):
    require_shared()
    want = expected["body"]
    got = _renamed_generic_body(page, expected)
    missing = [p for p in want if p not in got]
    assert not missing, f"story paragraphs lost: {missing}"
    start = got.index(want[0])
    assert got[start:] == want, f"lines leak between or after the story's paragraphs: " \
                                f"{[p for p in got[start:] if p not in want]}"
    captions = {i["caption"] for i in expected.get("images") or [] if i.get("caption")} - set(want)
    assert not captions & set(got), f"captions in the body: {captions & set(got)}"
    assert not [p for p in got[:start] if not _printed_about_the_story(p, expected)], \
        f"lines above the story: {got[:start]}"


# A source line (``- (أبوظبي - البيان)``) is a few words.
SOURCE_LINE_MAX_WORDS = 6


def _printed_about_the_story(line: str, expected: dict) -> bool:
    from akhbar.extraction.structure import is_sentence_run, words

    if is_sentence_run(line):
        return False
    dateline = expected.get("dateline")
    return (line == expected.get("published_at_raw") or line.endswith(":")
            or any(author in line for author in expected.get("authors") or [])
            or bool(dateline and dateline in line and words(line) <= SOURCE_LINE_MAX_WORDS))
