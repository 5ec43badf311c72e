"""Hostile discovery documents cost no more than the settings allow (issue 17, part 1).

Each case checks its counted outcome and, where memory is what the document attacks, that the
peak of Python's allocations (tracemalloc) while ``parse_discovery`` reads it stays under a cap
derived from the limit (the response itself is built before the measure starts). The last test
crawls all of them at once from a loopback server and caps the crawl's peak resident memory.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from akhbar import defaults as project
from akhbar.spiders.base import NewsSpider
from hostile_discovery import (LAUGHS_DTD, MB, HostileSite, gzip_bomb, million_url_sitemap, nested,
                               rss, sitemap_index, story, urlset, urlset_with)

TESTS_DIR = Path(__file__).resolve().parent
BASE = "https://www.example.com"
BOMB_SIZE = 256 * MB  # what the bomb would inflate to without a limit
# The project's own limits (a bare crawler has Scrapy's: 1 GB).
PROJECT_LIMITS = {name: getattr(project, name) for name in (
    "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE", "AKHBAR_SITEMAP_MAX_DEPTH", "AKHBAR_SITEMAP_MAX_URLS")}
# Python allocations of reading a document entry by entry, whatever its length: one entry, one
# request and the parser's small buffers at a time (a list of 50,000 requests alone is ~50 MB).
ITERATION_CAP = 4 * MB
SECRET = "SECRET-MARKER-17 root:x:0:0"  # what an external entity points at: must leak nowhere


class LimitsSpider(NewsSpider):
    name = "limits"
    allowed_domains = ["example.com"]
    article_url = r"^/story/\d+$"


def spider(**settings):
    return get_crawler(LimitsSpider, settings_dict={**PROJECT_LIMITS, **settings})._create_spider()


def stat(s, name):
    return s.crawler.stats.get_value(f"akhbar/discovery/{name}")


def read(s, response):
    """parse_discovery's requests, and the peak of Python allocations while they are made.
    Only the URLs are kept: a request dropped once counted is what the scheduler does to memory."""
    tracemalloc.start()
    try:
        urls = [request.url for request in s.parse_discovery(response)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return urls, peak


def response_to(url, body, cls=XmlResponse, **meta):
    return cls(url, body=body, request=Request(url, meta=meta))


def warnings_naming(caplog, url):
    return [r for r in caplog.records if r.levelno == logging.WARNING and url in r.getMessage()]


# --- 1. decompression within DOWNLOAD_MAXSIZE ------------------------------------------------

def test_a_gzip_bomb_stops_at_download_maxsize_and_is_counted_once(caplog):
    url = f"{BASE}/sitemap-bomb.xml.gz"
    head = urlset([story(BASE, 1)])[:-len(b"</urlset>")]
    response = response_to(url, gzip_bomb(head, BOMB_SIZE, b"</urlset>"), cls=TextResponse)
    assert len(response.body) < MB  # 256 MB once inflated
    s = spider()
    urls, peak = read(s, response)
    assert urls == []
    assert stat(s, "too_large") == 1 and stat(s, "sitemaps") is None
    assert len(warnings_naming(caplog, url)) == 1
    # gunzip keeps what it inflated so far, one 64 KiB chunk past the limit at most
    assert peak < project.DOWNLOAD_MAXSIZE + 4 * MB


def test_the_limit_of_a_request_wins_as_for_scrapy_sitemap_spider(caplog):
    url = f"{BASE}/sitemap-1.xml.gz"
    body = gzip_bomb(urlset([story(BASE, 1)])[:-len(b"</urlset>")], 2 * MB, b"</urlset>")
    s = spider()
    urls, _ = read(s, response_to(url, body, cls=TextResponse, download_maxsize=MB))
    assert urls == [] and stat(s, "too_large") == 1


def test_a_document_over_download_warnsize_once_inflated_is_read_and_warned_about(caplog):
    url = f"{BASE}/sitemap-big.xml.gz"
    body = gzip_bomb(urlset([story(BASE, 1)])[:-len(b"</urlset>")], 2 * MB, b"</urlset>")
    s = spider(DOWNLOAD_WARNSIZE=MB)
    urls, _ = read(s, response_to(url, body, cls=TextResponse))
    assert urls == [story(BASE, 1)]
    assert stat(s, "too_large") is None
    assert [r for r in warnings_naming(caplog, url) if "DOWNLOAD_WARNSIZE" in r.getMessage()]


def test_a_corrupt_gzip_archive_is_unreadable_not_a_listing_page():
    s = spider()
    urls, _ = read(s, response_to(f"{BASE}/sitemap.xml.gz", b"\x1f\x8b\x08" + b"\x00garbage" * 50,
                                  cls=TextResponse))
    assert urls == [] and stat(s, "unreadable") == 1 and stat(s, "listings") is None


# --- 2. XML attacks ---------------------------------------------------------------------------

DOCUMENTS = {"feed": rss, "sitemap": urlset_with}


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_entity_expansion_is_never_expanded_and_the_document_is_unreadable(kind, caplog):
    body = DOCUMENTS[kind]([story(BASE, 1), story(BASE, 2) + "/&lol9;"], doctype=LAUGHS_DTD)
    s = spider()
    urls, peak = read(s, response_to(f"{BASE}/{kind}.xml", body))
    assert urls == []
    assert stat(s, "unreadable") == 1
    assert peak < ITERATION_CAP  # 10^9 "lol"s would be 3 GB
    assert len(warnings_naming(caplog, f"{BASE}/{kind}.xml")) == 1


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_entity_expansion_after_a_long_prolog_is_still_refused(kind):
    """The root element past the first 4 KB (a long comment first): still told apart, still refused."""
    doctype = "<!--" + "x" * 8192 + "-->\n" + LAUGHS_DTD
    body = DOCUMENTS[kind]([story(BASE, 1), story(BASE, 2) + "/&lol9;"], doctype=doctype)
    s = spider()
    urls, _ = read(s, response_to(f"{BASE}/{kind}.xml", body))
    assert urls == [] and stat(s, "unreadable") == 1 and stat(s, "listings") is None


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_an_external_entity_leaks_nothing_into_requests_logs_or_stats(kind, secret_file, caplog):
    caplog.set_level(logging.DEBUG)
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret_file}">]>\n'
    body = DOCUMENTS[kind]([story(BASE, 1), story(BASE, 2) + "?leak=&xxe;"], doctype=doctype)
    s = spider()
    urls, _ = read(s, response_to(f"{BASE}/{kind}.xml", body))
    assert urls == [] and stat(s, "unreadable") == 1
    assert "SECRET-MARKER" not in caplog.text
    assert "SECRET-MARKER" not in json.dumps(s.crawler.stats.get_stats(), default=str)


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_an_external_entity_is_never_opened(kind, tmp_path):
    """The entity points at a FIFO: a writer blocks on it until someone opens it for reading."""
    fifo = tmp_path / "passwd"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer():
        with open(fifo, "wb"):
            opened.set()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{fifo}">]>\n'
    body = DOCUMENTS[kind]([story(BASE, 1) + "?leak=&xxe;"], doctype=doctype)
    s = spider()
    urls, _ = read(s, response_to(f"{BASE}/{kind}.xml", body))
    try:
        assert urls == [] and stat(s, "unreadable") == 1
        assert not opened.is_set() and thread.is_alive()  # the writer is still waiting for a reader
    finally:
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))  # release the writer
        thread.join(5)
    assert opened.is_set()  # the probe worked: a reader is what released it


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_parameter_entities_and_external_dtds_fetch_nothing(kind):
    site = HostileSite()
    site.add("/evil.dtd", b'<!ENTITY % all "<!ENTITY leak SYSTEM \'file:///etc/passwd\'>">')
    site.start()
    try:
        doctype = f'<!DOCTYPE x [<!ENTITY % remote SYSTEM "{site.url("/evil.dtd")}"> %remote; %all;]>\n'
        s = spider()
        urls, _ = read(s, response_to(f"{BASE}/{kind}.xml", DOCUMENTS[kind]([story(BASE, 1)], doctype=doctype)))
        assert urls == [] and stat(s, "unreadable") == 1
        # An external DTD and no entity of its own: read as usual, the DTD never fetched.
        doctype = f'<!DOCTYPE x SYSTEM "{site.url("/evil.dtd")}">\n'
        s = spider()
        urls, _ = read(s, response_to(f"{BASE}/{kind}.xml", DOCUMENTS[kind]([story(BASE, 1)], doctype=doctype)))
        assert urls == [story(BASE, 1)] and stat(s, "unreadable") is None
        assert site.hits_of("/evil.dtd") == 0
    finally:
        site.stop()


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_nesting_100000_deep_stops_the_parser_and_is_counted(kind, caplog):
    body = DOCUMENTS[kind]([story(BASE, 1), story(BASE, 2)], between=nested())
    s = spider()
    urls, peak = read(s, response_to(f"{BASE}/{kind}.xml", body))
    assert urls == [story(BASE, 1)]  # what came before the nesting is kept
    assert stat(s, "unreadable") == 1
    assert peak < ITERATION_CAP
    assert len(warnings_naming(caplog, f"{BASE}/{kind}.xml")) == 1


def test_an_ordinary_doctype_and_an_html_page_are_not_refused():
    rss091 = ('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
              '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n')
    s = spider()
    urls, _ = read(s, response_to(f"{BASE}/rss", rss([story(BASE, 1)], doctype=rss091)))
    assert urls == [story(BASE, 1)] and stat(s, "unreadable") is None and stat(s, "feeds") == 1
    page = f'<!DOCTYPE html><html><body><a href="{story(BASE, 2)}">x</a></body></html>'.encode()
    s = spider()
    from scrapy.http import HtmlResponse
    urls, _ = read(s, response_to(f"{BASE}/", page, cls=HtmlResponse))
    assert urls == [story(BASE, 2)] and stat(s, "listings") == 1


# --- 3. sitemap indexes and long sitemaps ------------------------------------------------------

def test_a_chain_of_sitemap_indexes_is_followed_max_depth_levels_only(caplog):
    """Each index links to a new one (A -> B -> A?page=2 ...): an exact loop is stopped by the
    duplicate filter (see the crawl below), this one only by the depth."""
    s = spider()
    response = response_to(f"{BASE}/index-0.xml", sitemap_index([f"{BASE}/index-1.xml"]))
    for fetched in range(1, 100):  # an unbounded chain would be followed to the end of this range
        requests = list(s.parse_discovery(response))
        assert len(requests) <= 1
        if not requests:
            break
        request = requests[0]
        n = int(request.url.rsplit("-", 1)[1].split(".")[0])
        response = XmlResponse(request.url, body=sitemap_index([f"{BASE}/index-{n + 1}.xml"]), request=request)
    assert fetched == project.AKHBAR_SITEMAP_MAX_DEPTH + 1  # the first index and MAX_DEPTH below it
    assert stat(s, "sitemap_depth_exceeded") == 1
    assert len([r for r in caplog.records if "AKHBAR_SITEMAP_MAX_DEPTH" in r.getMessage()]) == 1


def test_an_index_fanning_out_absurdly_is_cut_at_max_urls():
    limit = project.AKHBAR_SITEMAP_MAX_URLS
    body = sitemap_index(f"{BASE}/sitemap-{n}.xml" for n in range(limit + 10_000))
    s = spider()
    urls = [request.url for request in s.parse_discovery(response_to(f"{BASE}/index.xml", body))]
    assert len(urls) == limit and urls[-1] == f"{BASE}/sitemap-{limit - 1}.xml"
    assert stat(s, "sitemap_urls_cut") == 1


def test_robots_txt_listing_too_many_sitemaps_is_cut_at_max_urls():
    limit = 100
    robots = "".join(f"Sitemap: {BASE}/sitemap-{n}.xml\n" for n in range(limit + 1)).encode()
    s = spider(AKHBAR_SITEMAP_MAX_URLS=limit)
    urls, _ = read(s, response_to(f"{BASE}/robots.txt", robots, cls=TextResponse))
    assert len(urls) == limit and stat(s, "sitemap_urls_cut") == 1


@pytest.mark.slow
def test_a_million_url_sitemap_is_read_entry_by_entry_up_to_max_urls():
    body = gzip.decompress(million_url_sitemap(BASE))  # as served with Content-Encoding: gzip
    limit = project.AKHBAR_SITEMAP_MAX_URLS
    s = spider(DOWNLOAD_MAXSIZE=0)  # a million URLs is 60 MB: over the default 20 MB
    urls, peak = read(s, response_to(f"{BASE}/sitemap-million.xml", body))
    assert len(urls) == limit and urls[-1] == story(BASE, limit - 1)
    assert stat(s, "sitemap_urls_cut") == 1
    # The URLs kept by this test are ~5 MB; the spider itself holds one entry at a time.
    assert peak < ITERATION_CAP + sum(sys.getsizeof(u) for u in urls) + sys.getsizeof(urls)


# --- the same documents crawled from a loopback server -----------------------------------------

BIG_MAXSIZE = 64 * MB  # above the million-URL sitemap (60 MB inflated)
CRAWL_MAX_URLS = 2_000  # fewer requests than the default, for the test's time
DEEP_STORY = 5_000_000  # the article of deep.xml
CRAWL_BOMB = 512 * MB  # inflated size of the two bombs: 1 GB in memory each if ever inflated


def serve(secret_file) -> HostileSite:
    site = HostileSite()
    # Articles and the fanned-out sitemaps are never downloaded: the robots middleware stops
    # their requests after the scheduler (robotstxt/forbidden).
    site.add("/robots.txt", b"User-agent: *\nDisallow: /story/\nDisallow: /private/\n", "text/plain")
    site.start()
    base = site.base
    head, tail = urlset([story(base, 1)])[:-len(b"</urlset>")], b"</urlset>"
    site.add("/bomb.xml.gz", gzip_bomb(head, CRAWL_BOMB, tail), "application/x-gzip")
    site.add("/bomb-encoded.xml", gzip_bomb(head, CRAWL_BOMB, tail), **{"Content-Encoding": "gzip"})
    site.add("/laughs.rss", rss([story(base, 2) + "/&lol9;"], doctype=LAUGHS_DTD))
    site.add("/xxe.xml", urlset_with([story(base, 3) + "?leak=&xxe;"],
                                     doctype=f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret_file}">]>\n'))
    site.add("/deep.xml", urlset_with([story(base, DEEP_STORY), story(base, DEEP_STORY + 1)], between=nested()))
    site.add("/loop-a.xml", sitemap_index([site.url("/loop-b.xml")]))
    site.add("/loop-b.xml", sitemap_index([site.url("/loop-a.xml")]))
    for level in range(10):
        site.add(f"/chain-{level}.xml", sitemap_index([site.url(f"/chain-{level + 1}.xml")]))
    site.add("/fanout.xml", sitemap_index(site.url(f"/private/sitemap-{n}.xml")
                                          for n in range(CRAWL_MAX_URLS + 5_000)))
    site.add("/million.xml.gz", million_url_sitemap(base), "application/x-gzip")
    site.add("/small.xml", urlset([story(base, 1)]))
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    site = serve(secret)
    yield site
    site.stop()


@pytest.fixture(scope="module")
def baseline_rss(site, tmp_path_factory):
    """The peak memory of a crawl of one small sitemap: what any crawl costs."""
    stats, _, peak = crawl(site, ["/small.xml"], tmp_path_factory.mktemp("baseline"))
    assert stats["finish_reason"] == "finished" and stats["akhbar/discovery/sitemaps"] == 1
    return peak


def crawl(site: HostileSite, paths: list[str], tmp_path: Path, *settings: str) -> tuple[dict, str, int]:
    """Crawl the documents at ``paths``; the final stats, the log, and the crawl's peak resident
    memory (bytes, from the engine's start: see tests/hostile_discovery_spider.py)."""
    stats_file, rss_file = tmp_path / "stats.json", tmp_path / "peak_rss"
    env = {k: v for k, v in os.environ.items()
           if k not in ("AKHBAR_DATABASE_URL", "AKHBAR_REDIS_URL", "AKHBAR_REPLAY")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")]))
    env["SCRAPY_SETTINGS_MODULE"] = "akhbar.settings"
    args = [f"-s{setting}" for setting in settings]
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "hostile_discovery",
         "-a", "sources=" + ",".join(site.url(p) for p in paths), "-a", f"peak_rss_file={rss_file}",
         "-s", "SPIDER_MODULES=hostile_discovery_spider", "-s", f"AKHBAR_STATS_FILE={stats_file}",
         "-s", "AKHBAR_STORE_ENABLED=False", "-s", "AKHBAR_COVERAGE_ENABLED=False",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "finished"
    assert not [k for k in stats if k.startswith("spider_exceptions/")], stats
    return stats, result.stderr, int(rss_file.read_text())


@pytest.mark.slow
def test_a_crawl_of_bombs_xml_attacks_and_looping_indexes(site, baseline_rss, tmp_path):
    """With the project's settings (DOWNLOAD_MAXSIZE 20 MB, AKHBAR_SITEMAP_MAX_DEPTH 3)."""
    paths = ["/bomb.xml.gz", "/bomb-encoded.xml", "/laughs.rss", "/xxe.xml", "/deep.xml",
             "/loop-a.xml", "/chain-0.xml"]
    before = dict(site.hits)
    stats, log, peak_rss = crawl(site, paths, tmp_path)

    def hits_of(path):  # requests of this crawl only
        return site.hits_of(path) - before.get(path, 0)

    got = {k: v for k, v in stats.items() if k.startswith("akhbar/discovery/")}
    assert got["akhbar/discovery/too_large"] == 1  # bomb.xml.gz
    # Content-Encoding: gzip is inflated by Scrapy's HttpCompressionMiddleware within the same
    # limit; it drops the response before the spider sees it: a discovery source that failed.
    assert hits_of("/bomb-encoded.xml") == 1 and got["akhbar/discovery/failed"] == 1
    assert got["akhbar/discovery/unreadable"] == 3  # laughs.rss, xxe.xml, deep.xml
    assert got["akhbar/discovery/sitemap_depth_exceeded"] == 1  # chain-3 lists chain-4
    assert "akhbar/discovery/sitemap_urls_cut" not in got
    # The exact loop A -> B -> A: each fetched once (the duplicate filter); the chain: 4 levels.
    assert hits_of("/loop-a.xml") == hits_of("/loop-b.xml") == 1
    assert [hits_of(f"/chain-{n}.xml") for n in range(6)] == [1, 1, 1, 1, 0, 0]
    assert stats["robotstxt/forbidden"] == 1  # deep.xml's story before the nesting
    assert "SECRET-MARKER" not in log and "SECRET-MARKER" not in json.dumps(stats)
    assert not [p for p in site.hits if hits_of(p) and "SECRET" in p]
    # Inflated, a bomb would take 1 GB. Two may be inflated at once up to the limit (one by the
    # spider, one by HttpCompressionMiddleware), each with its compressed body: under 3 limits.
    assert peak_rss - baseline_rss < 3 * project.DOWNLOAD_MAXSIZE, (peak_rss, baseline_rss)


@pytest.mark.slow
def test_a_crawl_of_a_million_url_sitemap_and_an_index_fanning_out(site, baseline_rss, tmp_path):
    """DOWNLOAD_MAXSIZE raised to let a million URLs in; AKHBAR_SITEMAP_MAX_URLS lowered for time."""
    stats, log, peak_rss = crawl(site, ["/million.xml.gz", "/fanout.xml"], tmp_path,
                                 f"DOWNLOAD_MAXSIZE={BIG_MAXSIZE}", f"AKHBAR_SITEMAP_MAX_URLS={CRAWL_MAX_URLS}")
    got = {k: v for k, v in stats.items() if k.startswith("akhbar/discovery/")}
    assert got["akhbar/discovery/sitemap_urls_cut"] == 2
    assert "akhbar/discovery/too_large" not in got and "akhbar/discovery/unreadable" not in got
    # Every article and sitemap request went through the scheduler to the robots middleware; a
    # sitemap robots.txt forbids is counted as a discovery source that failed.
    assert stats["robotstxt/forbidden"] == 2 * CRAWL_MAX_URLS
    assert got["akhbar/discovery/failed"] == CRAWL_MAX_URLS
    assert stats["scheduler/enqueued"] == 2 * CRAWL_MAX_URLS + 2
    # The sitemap is held inflated while it is read (60 MB), gunzip's buffer and the compressed
    # body with it for a moment: under 3 limits. Its entries are read one at a time.
    assert peak_rss - baseline_rss < 3 * BIG_MAXSIZE, (peak_rss, baseline_rss)
