"""What a newcomer trips on (issue 15, point 6), as `scrapy crawl` / `scrapy extract` subprocesses.

Nothing fetched (every host unknown, every connection refused) is a failure with its own finish
reason and exit status; an unknown spider, a bad spider argument and an unusable URL are one line
on stderr and exit status 2; another outlet's URL is named with the spider's domains; a second
crawl that skipped the stored articles says so and how to fetch them again; a changed layout
exits 3. No crawl leaves 127.0.0.1: the unknown hosts are made so by a resolver that knows no
name (NoDNS below), the refused connections go to a closed port of 127.0.0.1, the articles come
from a replay (tests/generated_replay.py).
"""

from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
from pathlib import Path

import pytest
import scrapy.settings.default_settings as scrapy_defaults
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from generated_replay import OWN_PAGE, ROOT, SCRAPY, crawl_command, crawl_env, write_replay

from akhbar.commands.crawl import (EXIT_FAILED, EXIT_LAYOUT_CHANGED, EXIT_OK, EXIT_STOPPED, EXIT_USAGE,
                                   exit_status)
from akhbar.spiders.youm7 import Youm7Spider

TESTS_DIR = Path(__file__).resolve().parent
# Scrapy 2.19 renamed the setting of the resolver.
RESOLVER_SETTING = "TWISTED_DNS_RESOLVER" if hasattr(scrapy_defaults, "TWISTED_DNS_RESOLVER") else "DNS_RESOLVER"
FRAME = re.compile(r'^\s+File "')  # a line of a Python traceback
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[([^\]]+)\] \w+: (.*)")


class NoDNS(CachingThreadedResolver):
    """A resolver that knows no host name: every lookup fails at once, no query is sent."""

    def getHostByName(self, name, timeout=()):
        return defer.fail(DNSLookupError(f"no such host (test resolver): {name}"))


def scrapy(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A scrapy command of the project, run in tmp_path (nothing written to the repository)."""
    return subprocess.run([*SCRAPY, *args], cwd=tmp_path,
                          env=env or crawl_env(SCRAPY_SETTINGS_MODULE="akhbar.settings"),
                          capture_output=True, text=True, timeout=300)


def store_args(tmp_path: Path, stats: Path) -> list[str]:
    return ["-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 'store.sqlite3'}",
            "-s", f"AKHBAR_STATS_FILE={stats}", "-s", "RETRY_TIMES=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def errors_and_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r"\] (ERROR|WARNING|CRITICAL): ", line)]


def tracebacks(stderr: str) -> list[str]:
    """The log records followed by a Python traceback (Spidermon's report of a failed monitor
    included: it gives the check's message, not the assertion's frames)."""
    found, record = [], ""
    for line in stderr.splitlines():
        if RECORD.match(line):
            record = line
        elif FRAME.match(line) and record not in found:
            found.append(record or "(before any log record)")
    return found


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- nothing fetched ----------------------------------------------------------------------------
def test_a_crawl_of_unknown_hosts_fails_with_nothing_fetched_and_no_traceback(tmp_path):
    stats_file = tmp_path / "stats.json"
    result = scrapy(tmp_path, "crawl", "youm7", *store_args(tmp_path, stats_file),
                    "-s", f"{RESOLVER_SETTING}={__name__}.NoDNS", "-O", str(tmp_path / "out.jsonl"))
    stderr = result.stderr
    assert result.returncode == EXIT_FAILED, stderr[-3000:]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "nothing_fetched"
    assert tracebacks(stderr) == []
    # robots.txt: one WARNING line, no ERROR from Scrapy's robots.txt middleware.
    robots = [line for line in stderr.splitlines() if "robotstxt" in line and ("WARNING" in line or "ERROR" in line)]
    assert len(robots) == 1 and "WARNING: robots.txt of www.youm7.com could not be fetched" in robots[0], robots
    assert "DNSLookupError" in robots[0] or "CannotResolveHostError" in robots[0], robots[0]
    assert stats["akhbar/robotstxt/failed"] == 1
    sources = len(Youm7Spider.feeds) + len(Youm7Spider.listing_pages)
    assert stats["akhbar/discovery/failed"] == sources
    assert stats["akhbar/responses/answered"] == 0
    assert any("ERROR: Nothing fetched: none of the" in line for line in stderr.splitlines())
    summary = [line for line in stderr.splitlines() if "Crawl summary of youm7" in line]
    assert len(summary) == 1
    assert summary[0].endswith(f"Crawl summary of youm7 (nothing_fetched): 0 articles; 0 dropped; "
                               f"sources: 0 read, {sources} failed; robots.txt not read on 1 host")
    assert stderr.rstrip().splitlines()[-1] == "scrapy crawl: youm7: nothing_fetched (exit status 1)"


def test_a_crawl_whose_connections_are_refused_fails_with_nothing_fetched(tmp_path):
    stats_file = tmp_path / "stats.json"
    base = f"http://127.0.0.1:{closed_port()}"
    result = scrapy(tmp_path, "crawl", "badsite", "-a", f"base={base}", "-s", "SPIDER_MODULES=badsite_spider",
                    *store_args(tmp_path, stats_file))
    assert result.returncode == EXIT_FAILED, result.stderr[-3000:]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "nothing_fetched"
    assert tracebacks(result.stderr) == []
    assert "WARNING: robots.txt of 127.0.0.1" in result.stderr and "ConnectionRefused" in result.stderr
    assert "(nothing_fetched): 0 articles; 0 dropped; sources: 0 read, 1 failed;" in result.stderr


# --- one line, exit status 2 ----------------------------------------------------------------------
@pytest.mark.parametrize(("args", "message"), [
    (["youm8"], "scrapy crawl: no spider named 'youm8' (did you mean youm7?); `scrapy list` lists them"),
    (["youm7", "-a", "since=2024-13-45"], "scrapy crawl: youm7: -a since='2024-13-45': expected a date as YYYY-MM-DD"),
    (["youm7", "-a", "follow=abc"], "scrapy crawl: youm7: -a follow='abc': expected a whole number, 0 or more"),
    (["youm7", "-a", "urls=https://www.albayan.ae/world/arab/2024-01-01-1.1"],
     "scrapy crawl: youm7: -a urls: https://www.albayan.ae/world/arab/2024-01-01-1.1 is not on the domains of "
     "youm7 (youm7.com); `scrapy crawl albayan -a urls=...` fetches it"),
])
def test_a_bad_start_is_one_line_and_exit_status_2(tmp_path, args, message):
    result = scrapy(tmp_path, "crawl", *args, "-s", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / 's.sqlite3'}")
    assert result.returncode == EXIT_USAGE, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    problems = [line for line in result.stderr.splitlines() if line.startswith("scrapy crawl:")]
    assert len(problems) == 1 and problems[0].startswith(message), problems
    # Nothing else went wrong: no ERROR logged (the crawl never opened).
    assert "ERROR" not in result.stderr, errors_and_warnings(result.stderr)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"until": "2024-01-02"}, "-a until=... needs -a since=YYYY-MM-DD as well"),
    ({"since": "2024-02-01", "until": "2024-01-01"}, "-a until=2024-01-01 is before -a since=2024-02-01"),
    ({"since": "2999-01-01"}, "-a since=2999-01-01 is in the future (and -a until is today)"),
    ({"refresh": "maybe"}, "-a refresh='maybe': expected 1 or 0"),
    ({"follow": "-1"}, "-a follow='-1': expected a whole number, 0 or more"),
    ({"urls": "not-a-url"}, "-a urls: 'not-a-url' is not an http(s) URL"),
    ({"urls": "https://[bad/x"}, "-a urls: 'https://[bad/x' is not an http(s) URL"),
])
def test_every_bad_argument_is_a_spider_argument_error_naming_it(arguments, message):
    """The other bad arguments, in-process: the crawl command reports a SpiderArgumentError as
    above (one line, exit status 2)."""
    from akhbar.commands.crawl import is_argument_error
    from akhbar.spiders.base import SpiderArgumentError

    with pytest.raises(SpiderArgumentError) as raised:
        Youm7Spider(**arguments)
    assert str(raised.value) == message
    assert is_argument_error(raised.value)


def test_extract_refuses_a_url_that_is_not_one(tmp_path):
    result = scrapy(tmp_path, "extract", str(OWN_PAGE), "--url", "not-a-url")
    assert result.returncode == EXIT_USAGE
    assert result.stdout == ""
    assert result.stderr.strip() == ("scrapy extract: --url 'not-a-url' is not an http(s) URL "
                                     "(the address the page was fetched from)")


# --- the replayed outlet: foreign URLs, a second export, a changed layout -----------------------------
def replay_crawl(tmp_path: Path, manifest: Path, name: str, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    stats = tmp_path / f"{name}.json"
    result = subprocess.run(crawl_command(manifest, f"sqlite:///{tmp_path / 'store.sqlite3'}", stats, *args),
                            cwd=tmp_path, env=crawl_env(SCRAPY_SETTINGS_MODULE="akhbar.settings"),
                            capture_output=True, text=True, timeout=300)
    return result, json.loads(stats.read_text(encoding="utf-8"))


def test_another_outlets_url_among_urls_is_named_and_left_out(tmp_path):
    manifest, urls = write_replay(tmp_path / "replay", 1)
    foreign = "https://www.albayan.ae/world/arab/2024-01-01-1.1"
    result, stats = replay_crawl(tmp_path, manifest, "mixed", "-a", f"urls={urls[0]},{foreign}",
                                 "-O", str(tmp_path / "out.jsonl"))
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    warnings = [line for line in errors_and_warnings(result.stderr) if "-a urls" in line]
    assert len(warnings) == 1
    assert warnings[0].endswith(f"WARNING: -a urls: {foreign} is not on the domains of youm7 (youm7.com); "
                                "`scrapy crawl albayan -a urls=...` fetches it: not fetched")
    assert stats["akhbar/discovery/foreign_url"] == 1
    assert stats["akhbar/articles"] == 1
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_a_second_export_says_what_the_store_skipped_and_how_to_fetch_it(tmp_path):
    count = 5
    manifest, urls = write_replay(tmp_path / "replay", count)
    first, stats = replay_crawl(tmp_path, manifest, "first", "-O", str(tmp_path / "youm7.jsonl"))
    assert first.returncode == EXIT_OK, first.stderr[-3000:]
    assert len((tmp_path / "youm7.jsonl").read_text(encoding="utf-8").splitlines()) == count
    assert "not fetched again" not in first.stderr

    second, stats = replay_crawl(tmp_path, manifest, "second", "-O", str(tmp_path / "youm7.csv"))
    assert second.returncode == EXIT_OK, second.stderr[-3000:]
    with (tmp_path / "youm7.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.DictReader(handle)) == []  # the store skipped them all ...
    summary = [line for line in second.stderr.splitlines() if "Crawl summary of youm7" in line]
    assert len(summary) == 1
    # ... and the summary says so, and how to fetch them again.
    assert summary[0].endswith(f"Crawl summary of youm7 (finished): 0 articles; 0 dropped; sources: 1 read, "
                               f"0 failed; {count} articles already in the store not fetched again "
                               f"(-a refresh=1 fetches them)"), summary[0]
    assert stats["akhbar/skipped/already_stored"] == count

    third, stats = replay_crawl(tmp_path, manifest, "third", "-a", "refresh=1", "-O", str(tmp_path / "youm7.csv"))
    assert third.returncode == EXIT_OK, third.stderr[-3000:]
    with (tmp_path / "youm7.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == count


def test_a_changed_layout_exits_3(tmp_path):
    pages, emptied = 6, 3
    manifest, _ = write_replay(tmp_path / "replay", pages)
    for i in range(emptied):  # the article's text removed: no reader finds a body
        page = tmp_path / "replay" / "pages" / f"{i}.html"
        html = page.read_text(encoding="utf-8")
        start, end = html.index('<div id="articleBody">'), html.index('<div class="tags">')
        page.write_text(html[:start] + html[end:], encoding="utf-8")
    result, stats = replay_crawl(tmp_path, manifest, "layout", "-s", f"AKHBAR_COVERAGE_MIN_PAGES={pages}")
    assert stats["finish_reason"] == "layout_changed", result.stderr[-3000:]
    assert result.returncode == EXIT_LAYOUT_CHANGED
    assert result.stderr.rstrip().splitlines()[-1] == "scrapy crawl: youm7: layout_changed (exit status 3)"
    assert f"Crawl summary of youm7 (layout_changed): {pages - emptied} articles; {emptied} dropped " \
           f"(no_body {emptied}); sources: 1 read, 0 failed" in result.stderr


def test_a_finished_crawl_exits_0_with_its_summary(tmp_path):
    manifest, _ = write_replay(tmp_path / "replay", 2)
    result, stats = replay_crawl(tmp_path, manifest, "ok")
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert "Crawl summary of youm7 (finished): 2 articles; 0 dropped; sources: 1 read, 0 failed" in result.stderr
    assert not result.stderr.rstrip().splitlines()[-1].startswith("scrapy crawl:")


def test_exit_status_by_finish_reason():
    assert exit_status("finished") == exit_status("closespider_itemcount") == exit_status("closespider_timeout") == 0
    assert exit_status("nothing_fetched") == exit_status("closespider_errorcount") == exit_status(None) == 1
    assert exit_status("layout_changed") == 3
    assert exit_status("shutdown") == EXIT_STOPPED == 4
