"""`scrapy repair`: after a redesign, the selectors that no longer match are fitted again.

Every corpus page with every class and id renamed (``akhbar.layout_drift``: a redesign): the
outlet's spider (a copy of its file) repaired on the renamed page must give the page's expected
item again, compared as tests/test_outlets.py compares, and more of its fields from its own
selectors than before the repair. The command itself: a diff of the selectors dict only, the
draft expected item under review, the file untouched without --write, a clear exit 2 for an
unknown spider or an unreadable page, and a page where nothing failed said so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import inspect
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from command_runner import run_in_process
from shared import CORPUS_DIR, require_shared
from test_drift import differences
from test_fit_outlets import run_command
from test_outlets import CASES

from akhbar.commands import repair as repair_command
from akhbar.commands.fitspider import spider_in_file
from akhbar.extraction import extract
from akhbar.layout_drift import rename_classes_and_ids
from akhbar.registry import spider_for_url

ROOT = Path(__file__).resolve().parent.parent
# Without the corpus, one case that skips saying so (an empty parameter set would not say why).
CORPUS_CASES = ([case for case in CASES if case.id.startswith("corpus:")]
                or [pytest.param(None, None, id="no-shared-corpus")])
OWN_PAGE = ROOT / "tests" / "pages" / "www.youm7.com" / "2025-01-05-own-layout.html"
# (page id, field) -> why the repaired spider does not give it (yet).
KNOWN_GAPS: dict[tuple[str, str], str] = {}
# Drafts printed by repair: the review marker line genoutlet writes.
REVIEW_LINE = ' "review": ["url", "canonical_url", "outlet"'


def _renamed_copy(tmp_path: Path, page: Path, expected: dict) -> tuple[Path, Path, type]:
    """The renamed page and a copy of its outlet's spider file, in tmp_path."""
    renamed = tmp_path / page.name
    renamed.write_bytes(rename_classes_and_ids(page.read_bytes()))
    spider = spider_for_url(expected["url"])
    spider_file = tmp_path / Path(inspect.getsourcefile(spider)).name
    shutil.copyfile(inspect.getsourcefile(spider), spider_file)
    return renamed, spider_file, spider


def _extracted(spider, page: Path, url: str):
    return extract(HtmlResponse(url=url, body=page.read_bytes(), headers={"Content-Type": "text/html"}), spider)


@pytest.mark.parametrize("page,expected_file", CORPUS_CASES)
def test_repair_on_a_renamed_page_gives_the_expected_item_again(tmp_path, page, expected_file):
    require_shared()
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    renamed, spider_file, spider = _renamed_copy(tmp_path, page, expected)
    before = _extracted(spider, renamed, expected["url"])
    assert before.fallbacks, "the rename must break some of the spider's selectors"
    output = run_command(repair_command, spider.name, "--spider-file", str(spider_file), "--write",
                         "--page", str(renamed), "--url", expected["url"])
    assert f"wrote {spider_file}" in output, output
    repaired = spider_in_file(spider_file, spider.name)
    after = _extracted(repaired, renamed, expected["url"])
    problems = differences(dict(after.item), expected)
    page_id = f"{expected_file.parent.name}/{expected_file.stem}"
    gaps = {field for (p, field) in KNOWN_GAPS if p == page_id}
    unexpected = {field: text for field, text in problems.items() if field not in gaps}
    assert not unexpected, f"{expected_file.name} repaired:\n{output[:3000]}\n" + "\n\n".join(unexpected.values())
    assert not gaps - set(problems), f"{sorted(gaps - set(problems))} now right: remove from KNOWN_GAPS"
    # the repair moved fields from the fallbacks back to the spider's own selectors
    assert len(after.fallbacks) < len(before.fallbacks), (before.fallbacks, after.fallbacks, output[:3000])


def _in_process(*argv: str) -> tuple[int, str, str]:
    """`scrapy repair ARGV` run in this process (no interpreter start): exit status, stdout, stderr."""
    return run_in_process(repair_command, *argv)


def _scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_command_prints_a_diff_of_the_selectors_and_the_draft_and_writes_nothing(tmp_path):
    expected = json.loads(OWN_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    renamed, spider_file, _ = _renamed_copy(tmp_path, OWN_PAGE, expected)
    before = spider_file.read_bytes()
    status, stdout, stderr = _in_process("youm7", "--spider-file", str(spider_file), "--page", str(renamed),
                                         "--url", expected["url"])
    assert status == 0, stderr
    assert spider_file.read_bytes() == before
    diff = stdout.split(f"--- a/{spider_file}\n", 1)[1].split("\n# the draft", 1)[0]
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and all(line[1:].startswith('        "') for line in changed), changed  # selectors only
    assert REVIEW_LINE in stdout and "check the change, then apply it with --write" in stdout


def test_a_page_where_nothing_failed_is_said_so():
    expected = json.loads(OWN_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    status, stdout, stderr = _in_process("youm7", "--page", str(OWN_PAGE), "--url", expected["url"])
    assert status == 0, stderr
    assert "nothing to repair" in stdout and "---" not in stdout


def test_an_unknown_spider_or_an_unreadable_page_is_a_clear_error(tmp_path):
    run = _scrapy("repair", "no_such_outlet", "--page", str(OWN_PAGE), "--url", "https://www.youm7.com/x")
    assert run.returncode == 2 and "no spider named 'no_such_outlet'" in run.stderr
    missing = tmp_path / "missing.html"
    status, _, stderr = _in_process("youm7", "--page", str(missing), "--url", "https://www.youm7.com/x")
    assert status == 2 and f"cannot read page {missing}" in stderr
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    status, _, stderr = _in_process("youm7", "--page", str(empty), "--url", "https://www.youm7.com/x")
    assert status == 2 and "not an article" in stderr


# A made-up outlet whose old layout printed only its last update (the spider declares so) and whose
# new layout prints the time of publication, a bare date beside the headline (text written here).
_STAMPED_SPIDER = '''from akhbar.spiders.base import NewsSpider


class StampedSpider(NewsSpider):
    name = "stamped"
    allowed_domains = ["stamped.example"]
    article_url = r"^/news/\\d+$"
    printed_date_is_update = True  # the old layout printed only its last update

    selectors = {
        "headline": ["div.story-head h1"],
        "published_at": ["div.update-stamp"],
        "body": ["div.story-text"],
    }
'''
_STAMPED_PAGE = """<html lang="ar"><head><meta charset="utf-8"><title>افتتاح جسر جديد فوق النهر</title>
<meta property="og:type" content="article"></head><body>
<div class="head-v2"><h1>افتتاح جسر جديد فوق النهر</h1><span class="date-v2">13 مايو 2024 10:30</span></div>
<div class="text-v2"><p>افتتح وزير النقل اليوم جسرا جديدا يربط ضفتي النهر بعد عامين من العمل.</p>
<p>وقال الوزير إن الجسر يختصر زمن الرحلة بين المدينتين إلى النصف.</p></div></body></html>"""


def test_a_date_declaration_the_new_layout_contradicts_is_in_the_diff(tmp_path):
    spider_file = tmp_path / "stamped.py"
    spider_file.write_text(_STAMPED_SPIDER, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(_STAMPED_PAGE, encoding="utf-8")
    url = "https://stamped.example/news/5"
    status, stdout, stderr = _in_process("stamped", "--spider-file", str(spider_file), "--write",
                                         "--page", str(page), "--url", url)
    assert status == 0, stderr
    assert "-    printed_date_is_update = True" in stdout and "+    printed_date_is_update = False" in stdout, stdout
    assert '+        "published_at": ["span.date-v2"],' in stdout, stdout
    # read off the page: published at 10:30 on 13 May 2024 (the spider's zone: UTC), no update
    item = _extracted(spider_in_file(spider_file, "stamped"), page, url).item
    assert (item.get("published_at"), item.get("modified_at")) == ("2024-05-13T10:30:00+00:00", None)
    assert item.get("published_at_raw") == "13 مايو 2024 10:30"
