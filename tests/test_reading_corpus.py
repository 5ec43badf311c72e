"""The class-independent readers (akhbar/extraction/reading.py) on every corpus page with an
expected item, as published and with every class and id renamed (a redesign): headline,
section, tags and the lead image (images[0]) against the hand-annotated expected values.
Fields the expected file lists as ``ambiguous`` are skipped."""

import json

import pytest
from scrapy.http import HtmlResponse

from akhbar.extraction.reading import PageView, read_headline, read_lead_image, read_section, read_tags
from akhbar.layout_drift import rename_classes_and_ids
from shared import CORPUS_DIR, require_shared

FIELDS = ("headline", "section", "tags", "images[0]")

# (page name, field) the readers cannot get, each with why. Empty: on this corpus every reader
# gives the expected value on the original and the renamed page.
CANNOT_READ: dict[tuple[str, str], str] = {}


def _cases() -> list[tuple[str, str]]:
    if not CORPUS_DIR.is_dir():
        return [("corpus-absent", "")]
    return [(expected.parent.name, expected.stem)
            for expected in sorted((CORPUS_DIR / "expected").glob("*/*.json"))]


def _expected(domain: str, name: str) -> tuple[dict, bytes]:
    data = json.loads((CORPUS_DIR / "expected" / domain / f"{name}.json").read_text(encoding="utf-8"))
    page = CORPUS_DIR / (data.get("file") or f"{domain}/{name}.html")
    return data, page.read_bytes()


def _read(html: bytes, url: str) -> dict:
    ex = PageView(HtmlResponse(url=url, body=html, headers={"Content-Type": "text/html"}))
    lead = read_lead_image(ex)
    return {"headline": read_headline(ex), "section": read_section(ex), "tags": read_tags(ex),
            "images[0]": {"url": lead[0], "caption": lead[1]} if lead else None}


def _want(expected: dict, field: str):
    if field == "images[0]":
        return (expected.get("images") or [None])[0]
    return expected.get(field)


@pytest.mark.parametrize("renamed", [False, True], ids=["original", "renamed"])
@pytest.mark.parametrize("domain,name", _cases(), ids=lambda v: v)
def test_readers_give_the_expected_fields(domain, name, renamed):
    require_shared()
    expected, html = _expected(domain, name)
    if renamed:
        html = rename_classes_and_ids(html)
    got = _read(html, expected["url"])
    ambiguous = set(expected.get("ambiguous") or [])
    checked = 0
    for field in FIELDS:
        key = field.split("[")[0]
        if key not in expected or key in ambiguous or (f"{domain}/{name}", field) in CANNOT_READ:
            continue
        want = _want(expected, field)
        assert got[field] == want, (
            f"{domain}/{name} {'renamed' if renamed else 'original'} {field}: "
            f"want {want!r}, got {got[field]!r}")
        checked += 1
    assert checked, "no field of the expected item was checked"


def test_cannot_read_list_names_real_pages_and_fields():
    """Every listed exception names an expected page and a field, with a reason."""
    require_shared()
    pages = {f"{d}/{n}" for d, n in _cases()}
    for (page, field), reason in CANNOT_READ.items():
        assert page in pages and field in FIELDS and reason.strip()
