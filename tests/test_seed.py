"""The current Youm7 layout, from the shared seed (what a reader sees on a real page).

No third-party text is stored here: tests/fixtures/youm7_layout.html is our own markup with
placeholders, filled at test time from <shared>/seed/youm7-article-as-read.txt.

How the seed reads (one line per visible line, blank lines between blocks):
  headline / the lead image's alt and caption (the same text twice) / the dateline line
  ``موسكو (أ ش أ)`` / the body paragraphs / the Google News prompt / the sidebar blocks
  ``Trending Plus``, ``اليوم السابع Trending``, ``الأكثر قراءة`` (20 story titles, in three
  groups), ``لا يفوتك``, ``المزيد من Trending Plus`` / the app icons.
A heading is followed by its story titles up to the next heading; ``Trending Plus`` (a label
over social icons, as in the 2020 layout), ``اليوم السابع Trending`` and ``لا يفوتك`` have none
in the seed (lazy-loaded), so the only related list is ``الأكثر قراءة``.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from shared import SHARED_DIR, require_shared

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "akhbar.settings")

TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "youm7_layout.html"
SEED = SHARED_DIR / "seed" / "youm7-article-as-read.txt"
URL = "https://www.youm7.com/story/2025/8/7/own-seed-article/9100000"
BLOCKS = ("Trending Plus", "اليوم السابع Trending", "الأكثر قراءة", "لا يفوتك", "المزيد من Trending Plus")
END = "Youm7 Applcation Icons"


def norm(text: str) -> str:
    return " ".join(text.split())


def read_seed() -> dict:
    lines = [norm(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    filled = [line for line in lines if line]
    headline, caption = filled[0], filled[1]
    i = 2
    while filled[i] == caption:  # the caption is read twice (alt text, then the caption)
        i += 1
    dateline_line = filled[i]
    i += 1
    body = []
    while "Google News" not in filled[i]:
        body.append(filled[i])
        i += 1
    google_news = filled[i]
    blocks: dict[str, list[str]] = {}
    current = None
    for line in filled[i + 1:]:
        if line == END:
            break
        if line in BLOCKS:
            current = line
            blocks[current] = []
        elif current is not None:
            blocks[current].append(line)
    # the groups of the most-read list (blank-line runs of two or more between groups)
    groups: list[list[str]] = []
    start = lines.index("الأكثر قراءة") + 1
    blank = 0
    for line in lines[start:]:
        if line in BLOCKS or line == END:
            break
        if not line:
            blank += 1
            continue
        if not groups or blank >= 2:
            groups.append([])
        groups[-1].append(line)
        blank = 0
    return {"headline": headline, "caption": caption, "dateline_line": dateline_line, "body": body,
            "google_news": google_news, "blocks": blocks, "most_read_groups": groups}


def fill(seed: dict) -> tuple[str, list[dict]]:
    from akhbar.text import clean_text  # item text is cleaned text (SCHEMA.md "Text")

    template = TEMPLATE.read_text(encoding="utf-8")
    items = dict(re.findall(r"^ITEM (\w+): (.*)$", template, flags=re.M))
    esc = html.escape
    related = []
    groups_html = []
    n = 0
    for group in seed["most_read_groups"]:
        parts = []
        for title in group:
            n += 1
            url = f"https://www.youm7.com/story/2025/8/7/own-most-read-{n}/{9100100 + n}"
            related.append({"block": "الأكثر قراءة", "title": clean_text(title), "url": url})
            parts.append(items["story"].replace("{url}", esc(url)).replace("{text}", esc(title)))
        groups_html.append(items["group"].replace("{items}", "".join(parts)))
    icon, prompt = re.fullmatch(r"(Google News) (.+)", seed["google_news"]).groups()
    values = {
        "URL": URL, "HEADLINE": seed["headline"], "CAPTION": seed["caption"],
        "DATELINE_LINE": seed["dateline_line"], "GOOGLE_NEWS_ICON": icon, "GOOGLE_NEWS": prompt,
        "NAV_LABEL": "own-label", "TICKER_TITLE": "own ticker story", "APP_ICONS": END,
        "HEADING_TRENDING_PLUS": BLOCKS[0], "HEADING_TRENDING": BLOCKS[1], "HEADING_MOST_READ": BLOCKS[2],
        "HEADING_DONT_MISS": BLOCKS[3], "HEADING_MORE_TRENDING_PLUS": BLOCKS[4],
    }
    page = template
    page = page.replace("{{BODY_HTML}}", "\n".join(
        items["paragraph"].replace("{text}", esc(p)) for p in seed["body"]))
    page = page.replace("{{MOST_READ_HTML}}", "\n".join(groups_html))
    for name, value in values.items():
        page = page.replace("{{%s}}" % name, esc(value))
    assert "{{" not in page, re.findall(r"\{\{\w+\}\}", page)
    return page, related


@pytest.fixture(scope="module")
def seeded():
    require_shared()
    if not SEED.is_file():
        pytest.skip(f"seed page text not found at {SEED}")
    seed = read_seed()
    page, related = fill(seed)
    from akhbar.extraction import extract_article
    from akhbar.spiders.youm7 import Youm7Spider

    response = HtmlResponse(url=URL, body=page.encode("utf-8"), headers={"Content-Type": "text/html"})
    return seed, related, dict(extract_article(response, Youm7Spider))


def test_seed_reads_as_described(seeded):
    seed, related, _ = seeded
    assert seed["dateline_line"] == "موسكو (أ ش أ)"
    assert len(seed["body"]) == 6
    assert seed["blocks"]["الأكثر قراءة"] and [len(g) for g in seed["most_read_groups"]] == [5, 5, 10]
    assert all(not seed["blocks"][b] for b in BLOCKS if b != "الأكثر قراءة")


def test_headline_and_caption(seeded):
    seed, _, item = seeded
    assert item["headline"] == seed["headline"]
    assert item["images"][0] == {"url": "https://img.youm7.com/large/own-lead.jpg", "caption": seed["caption"]}
    assert len(item["images"]) == 1


def test_dateline_and_agency(seeded):
    _, _, item = seeded
    assert item["dateline"] == "موسكو"
    assert item["agencies"] == ["MENA"]
    assert item["agency_raw"] == "أ ش أ"


def test_body_is_the_paragraphs_without_prompts(seeded):
    seed, _, item = seeded
    from akhbar.text import clean_text

    assert item["body"] == [clean_text(p) for p in seed["body"]]
    assert not any("Google News" in p for p in item["body"])
    assert not any("أ ش أ" in p for p in item["body"])


def test_related_lists_with_their_headings(seeded):
    _, related, item = seeded
    assert item["related"] == related
    # the headline-less ticker, the menus and the footer are not related lists
    assert not any("ticker" in r["url"] for r in item["related"])


def test_item_is_complete(seeded):
    from akhbar.items import FIELDS

    _, _, item = seeded
    assert set(FIELDS) <= set(item)
    assert item["outlet"] == "youm7" and item["language"] == "ar" and item["url"] == URL
    assert item["canonical_url"] == URL
    assert item["subheadline"] is None
    assert item["authors"] == []
