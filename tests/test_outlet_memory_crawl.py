"""A crawl of one made-up outlet through OutletMemory (no Scrapy, no engine): the pages written by
tests/memory_pages.py, read back in crawl order as the engine would give them (cleaned story
paragraphs, metadata title), teach the memory exactly the boilerplate paragraph and the site
name once the warm-up is over, and nothing before; memory stays within its bounds.

The last test crawls the same replay with `scrapy crawl generic`, whose engine calls the memory on
every article page.
"""

from __future__ import annotations

from memory_pages import HOST, SERIES, SERIES_BACKGROUND, headline, page_lines, story_paragraphs, write_memory_site

from akhbar import outlet_memory as M
from akhbar.outlet_memory import OutletMemory
from akhbar.replay import ReplayArchive, replay_args

PAGES = 30


def _crawl(tmp_path, memory: OutletMemory):
    """Feed every page in crawl order; yield (index, lines, title, body kept, headline)."""
    manifest, urls, boilerplate, site_name = write_memory_site(tmp_path / "site", PAGES)
    archive = ReplayArchive.load(manifest)
    for i, url in enumerate(urls):
        html = archive.get(url).path.read_text(encoding="utf-8")
        lines, title = page_lines(html)
        memory.learn(HOST, lines, title)
        kept = [p for p in lines if p not in memory.boilerplate(HOST)]
        yield i, lines, title, kept, memory.strip_site_name(HOST, title)


def test_the_manifest_replays_every_page_and_the_feed(tmp_path):
    manifest, urls, boilerplate, site_name = write_memory_site(tmp_path / "site", PAGES)
    archive = ReplayArchive.load(manifest)
    assert not archive.unavailable
    assert len(archive) == PAGES + 1  # the pages and the feed
    assert replay_args(manifest) == {"feed": f"https://{HOST}/rss.xml"}
    assert len(set(urls)) == PAGES and all(archive.get(u) for u in urls)
    feed = archive.get(f"https://{HOST}/rss.xml").path.read_text(encoding="utf-8")
    assert [u for u in urls if u in feed] == urls
    with manifest.open(encoding="utf-8") as handle:
        header = next(line for line in handle if not line.startswith("#"))
    assert header.rstrip("\n").split("\t") == ["url", "source", "status", "content_type"]
    # the pages read back as written: the boilerplate on every page, the site name in every title
    for i, url in enumerate(urls):
        lines, title = page_lines(archive.get(url).path.read_text(encoding="utf-8"))
        assert lines == story_paragraphs(i)
        assert lines[-1] in boilerplate
        assert title.endswith(f" | {site_name}")


def test_the_crawl_learns_exactly_the_boilerplate_and_the_site_name_after_the_warm_up(tmp_path):
    memory = OutletMemory()
    _, _, boilerplate, site_name = write_memory_site(tmp_path / "expected", PAGES)
    for i, lines, title, kept, headline in _crawl(tmp_path, memory):
        seen = i + 1
        if seen < M.WARM_UP_PAGES:
            # warm-up: nothing is known yet, the items of these pages keep the boilerplate
            assert memory.boilerplate(HOST) == frozenset()
            assert memory.site_name(HOST) is None
            assert kept == lines and headline == title
            continue
        assert memory.boilerplate(HOST) == boilerplate, i
        assert memory.site_name(HOST) == site_name, i
        assert kept == [p for p in story_paragraphs(i) if p not in boilerplate]
        assert headline == title.removesuffix(f" | {site_name}")
        assert site_name not in headline
        if i in SERIES:  # four follow-ups share a background paragraph: content, kept
            assert SERIES_BACKGROUND in kept


def test_the_crawl_stays_within_its_bounds(tmp_path):
    memory = OutletMemory()
    total_lines = 0
    for _, lines, *_ in _crawl(tmp_path, memory):
        total_lines += len(lines)
        footprint = memory.footprint()
        assert footprint["hosts"] == 1
        assert footprint["titles"] <= M.MAX_TITLES
        assert footprint["line_keys"] <= M.MAX_LINES
        assert footprint["boilerplate_texts"] <= M.MAX_BOILERPLATE_TEXTS
        assert footprint["title_parts"] <= 2 * M.MAX_TITLE_PARTS
    footprint = memory.footprint()
    # every distinct line is one key (30 pages fit in the counter): the boilerplate once, the
    # series' background once, each page's own lines
    distinct = {line for i in range(PAGES) for line in story_paragraphs(i)}
    assert footprint["line_keys"] == len(distinct) < total_lines
    assert footprint["titles"] == PAGES
    assert footprint["boilerplate_texts"] == 1
    # one site name at the end, 30 headlines at the start (short enough to be names: counted)
    assert footprint["title_parts"] == 1 + PAGES


def test_a_small_counter_still_finds_the_boilerplate(tmp_path):
    """With room for fewer line keys than one crawl's lines, the page's own lines push each
    other out, and the line on every page stays counted."""
    memory = OutletMemory(max_lines=8)
    for i, lines, title, kept, headline in _crawl(tmp_path, memory):
        assert memory.footprint()["line_keys"] <= 8
    assert memory.boilerplate(HOST) == frozenset([story_paragraphs(0)[-1]])


def test_a_generic_crawl_drops_the_learned_boilerplate_and_site_name(tmp_path):
    """The same site crawled by `scrapy crawl generic` over the replay: after the warm-up, items
    no longer carry the boilerplate paragraph; before it, they do (the memory never goes back);
    every headline is the page's own and every story paragraph is kept."""
    import json
    import subprocess

    from generated_replay import ROOT, SCRAPY, crawl_env

    manifest, urls, boilerplate, site_name = write_memory_site(tmp_path / "site", PAGES)
    out = tmp_path / "items.jsonl"
    result = subprocess.run(
        [*SCRAPY, "crawl", "generic", "-a", f"feed=https://{HOST}/rss.xml", "-s", f"AKHBAR_REPLAY={manifest}",
         "-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 'store.sqlite3'}",
         "-s", "ROBOTSTXT_OBEY=False", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=1",
         "-O", str(out)], cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    scraped = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]  # crawl order
    items = {item["url"]: item for item in scraped}
    assert len(items) == PAGES, result.stderr[-3000:]
    late = scraped[M.WARM_UP_PAGES:]
    early = scraped[:M.WARM_UP_PAGES - 1]
    assert all(not boilerplate & set(item["body"]) for item in late)
    assert all(boilerplate & set(item["body"]) for item in early)
    # The site's name leaves every headline: learned by the memory after the warm-up, and told by
    # the title's shape (a short part after the separator) before it.
    for i, url in enumerate(urls):
        assert items[url]["headline"] == headline(i), url
    for i, url in enumerate(urls):
        own = set(story_paragraphs(i)) - boilerplate
        assert own <= set(items[url]["body"]), url
