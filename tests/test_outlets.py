"""Data-driven: every article page with an expected item is one test. Adding an outlet adds no code.

Pages are found by walking folders:
- the shared corpus: ``<shared>/corpus/expected/<domain>/<name>.json`` <-> ``<shared>/corpus/<domain>/<name>.html``;
- the project's own pages: ``tests/pages/<domain>/<name>.html`` + ``<name>.json``.
The page is given to the spider that owns its URL (``akhbar.registry.spider_for_url``) and the
extracted item is compared field by field with every SCHEMA field the expected file gives,
except ``file``, ``notes``, ``ambiguous`` and the fields listed in ``ambiguous``. An expected item
that still carries the review marker of a draft (``"review": [fields]``, written by `scrapy
genoutlet`) is refused, naming the fields left to check: a draft never passes as checked. Every field the
spider declares selectors for must come from those selectors on its own pages: a field that only
a fallback (metadata, the class-independent reading) gave means a stale selector, and fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from shared import CORPUS_DIR, require_shared

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

from akhbar.commands.genoutlet import REVIEW_KEY  # noqa: E402
from akhbar.items import FIELDS  # noqa: E402

HERE = Path(__file__).resolve().parent
OWN_PAGES = HERE / "pages"
NOT_COMPARED = {"file", "notes", "ambiguous", "scraped_at"}


def _cases() -> list:
    cases = []
    expected_dir = CORPUS_DIR / "expected"
    if expected_dir.is_dir():
        for expected in sorted(expected_dir.glob("*/*.json")):
            domain = expected.parent.name
            data = json.loads(expected.read_text(encoding="utf-8"))
            page = CORPUS_DIR / (data.get("file") or f"{domain}/{expected.stem}.html")
            cases.append(pytest.param(page, expected, id=f"corpus:{domain}/{expected.stem}"))
    if OWN_PAGES.is_dir():
        for expected in sorted(OWN_PAGES.glob("*/*.json")):
            page = expected.with_suffix(".html")
            cases.append(pytest.param(page, expected, id=f"own:{expected.parent.name}/{expected.stem}"))
    return cases


CASES = _cases()


def test_shared_corpus_is_there():
    """Says why the corpus cases are missing, instead of silently testing less."""
    require_shared()
    assert (CORPUS_DIR / "expected").is_dir()


@pytest.mark.parametrize("page,expected_file", CASES)
def test_page_gives_expected_item(page: Path, expected_file: Path):
    from akhbar.extraction import extract
    from akhbar.registry import spider_for_url

    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    unchecked = review_left(expected, expected_file)
    if unchecked:
        pytest.fail(unchecked, pytrace=False)
    url = expected["url"]
    spider = spider_for_url(url)
    if spider is None:
        pytest.skip(f"no spider for {url} yet")
    if not page.is_file():
        pytest.fail(f"page {page} named by {expected_file} is missing")
    response = HtmlResponse(url=url, body=page.read_bytes(), headers={"Content-Type": "text/html"})
    extracted = extract(response, spider)
    item = dict(extracted.item)

    ambiguous = set(expected.get("ambiguous") or [])
    problems = []
    for name, want in expected.items():
        if name in NOT_COMPARED or name in ambiguous or name not in FIELDS:
            continue
        got = item.get(name)
        if got != want:
            problems.append(describe(name, want, got))
    assert not problems, f"{expected_file.name}: {len(problems)} field(s) differ\n\n" + "\n\n".join(problems)
    assert not extracted.fallbacks, (
        f"{spider.name}: its selectors give no {', '.join(extracted.fallbacks)} on its own page "
        f"{expected_file.name}; a fallback did ({extracted.sources})")


def review_left(expected: dict, expected_file: Path) -> str | None:
    """Why an expected item is not checked yet, or None when it is: its review marker (the
    fields of a draft no person has checked) still names a field, or is not a list of them."""
    left = expected.get(REVIEW_KEY)
    if left is None or left == []:
        return None
    if not isinstance(left, list) or not all(isinstance(field, str) for field in left):
        return f"{expected_file}: {REVIEW_KEY!r} must be the list of the fields still to check, got {_show(left)}"
    return (f"{expected_file}: a draft, not checked: {len(left)} field(s) left to check by reading the "
            f"page: {', '.join(left)}. Check each (correct its value where it is wrong), then remove it "
            f"from {REVIEW_KEY!r}.")


def _show(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def describe(name: str, want, got) -> str:
    """A readable difference: for lists, the length and every index that differs."""
    if not isinstance(want, list) or not isinstance(got, list):
        return f"{name}:\n  expected {_show(want)}\n  got      {_show(got)}"
    lines = [f"{name}: expected {len(want)} entries, got {len(got)}"]
    shown = 0
    for index in range(max(len(want), len(got))):
        a = want[index] if index < len(want) else "<missing>"
        b = got[index] if index < len(got) else "<missing>"
        if a == b:
            continue
        shown += 1
        if shown > 12:
            lines.append("  ... (more differences)")
            break
        if isinstance(a, dict) and isinstance(b, dict):
            keys = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
            lines.append(f"  [{index}] " + "; ".join(
                f"{k}: expected {_show(a.get(k))} got {_show(b.get(k))}" for k in keys))
        else:
            lines.append(f"  [{index}] expected {_show(a)}\n  [{index}] got      {_show(b)}")
    return "\n".join(lines)
