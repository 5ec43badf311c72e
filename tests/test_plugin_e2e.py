"""akhbar as a plugin (issue 16), end to end, as a new user meets it.

The package is built (`python -m build`: an sdist, and the wheel built from that sdist, so the
sdist is proven to carry everything), the wheel is installed into a fresh virtual environment
whose dependencies come from the package index as usual, and `scrapy startproject` makes a new
project there. Its settings switch akhbar on with the add-on alone; its one spider is its own (a
``NewsSpider`` subclass with a few selectors) for a made-up outlet (tests/plugin_site). A crawl of
that outlet's replay must give items with agencies, dateline and published_at with the offset in
force in Cairo on that date, in the feed and in the SQLite store; `scrapy extract` must read a
saved page of it with the project's spider.

Expected values are read off the pages in tests/plugin_site (written for this test): story 1041
opens ``القاهرة - (أ ش أ) -`` and prints ``الأحد، 12 يناير 2025 09:30 ص`` (Cairo in winter,
+02:00); story 1042 opens ``الإسكندرية -``, ends ``(أ ف ب)`` and prints ``الأحد، 20 يوليو 2025 06:45 م``
(Cairo keeps summer time since 2023: +03:00).

The installation needs the package index (the brief of issue 16: "dependencies from the package
index as usual"); the test skips, saying so, only where pip cannot reach it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import akhbar

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "plugin_site"
pytestmark = pytest.mark.slow  # a wheel built and installed into a fresh venv
PROJECT = "mynews"
SPIDER = "nile_today"
STORY_1041 = "https://nile-today.example/news/2025/01/12/1041"
STORY_1042 = "https://nile-today.example/news/2025/07/20/1042"
# Generous: building and installing take about a minute on a warm machine.
BUILD_TIMEOUT = 300
INSTALL_TIMEOUT = 600
CRAWL_TIMEOUT = 180
# pip's words for an index it could not reach (then the test skips; any other failure fails).
NETWORK_FAILURE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution"
    r"|Network is unreachable|No matching distribution found|Could not find a version that satisfies")

# The user project's settings: what `scrapy startproject` wrote, with its empty ADDONS replaced.
ADDON_LINE = 'ADDONS = {"akhbar.Addon": 100}'

# The user project's spider, in full.
USER_SPIDER = '''\
from akhbar.spiders.base import NewsSpider


class NileTodaySpider(NewsSpider):
    """النيل اليوم, a Cairo outlet: its feed, its story URLs and where its fields are."""

    name = "nile_today"
    allowed_domains = ["nile-today.example"]
    timezone = "Africa/Cairo"
    feeds = ["https://nile-today.example/rss.xml"]
    article_url = r"^/news/\\d{4}/\\d{2}/\\d{2}/\\d+$"
    selectors = {
        "headline": "h1.story-title",
        "subheadline": "p.story-kicker",
        "section": "a.story-section",
        "published_at": "time.story-date",
        "byline": "span.story-author",
        "body": "div.story-text",
        "tags": "div.story-tags a",
    }
'''


def _run(args: list, *, cwd: Path, env: dict, timeout: int) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, timeout=timeout,
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} exited {done.returncode}\n"
                    f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-8000:]}")
    return done


def _clean_env(bin_dir: Path | None = None) -> dict:
    """The environment of a new user's shell: none of this repository's or CI's akhbar settings
    (AKHBAR_DATABASE_URL of the PostgreSQL tests, AKHBAR_REPLAY ...), no project module."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AKHBAR_") and k not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT",
                                                         "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(bin_dir.parent)
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel built from it."""
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=ROOT, env=_clean_env(),
         timeout=BUILD_TIMEOUT)
    return out


def _only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {folder}, found {found}"
    return found[0]


def test_sdist_and_wheel_carry_the_version_and_the_package_data(dist):
    wheel = _only(dist, "akhbar-*.whl")
    sdist = _only(dist, "akhbar-*.tar.gz")
    assert wheel.name.startswith(f"akhbar-{akhbar.__version__}-")
    assert sdist.name == f"akhbar-{akhbar.__version__}.tar.gz"
    shipped = sorted(p.relative_to(ROOT).as_posix() for folder in ("akhbar/data", "akhbar/templates")
                     for p in (ROOT / folder).iterdir() if p.is_file())
    assert "akhbar/data/agencies.json" in shipped and "akhbar/templates/outlet.py.tmpl" in shipped
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        metadata = archive.read(f"akhbar-{akhbar.__version__}.dist-info/METADATA").decode()
        entry_points = archive.read(f"akhbar-{akhbar.__version__}.dist-info/entry_points.txt").decode()
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [p for p in shipped if p not in in_wheel] == []
    assert [p for p in shipped if p not in in_sdist] == []
    for classifier in ("Framework :: Scrapy", "Natural Language :: Arabic"):
        assert f"Classifier: {classifier}" in metadata
    # test-only dependencies stay in the extra
    runtime = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert not [line for line in runtime if re.search(r"\b(pytest|hypothesis|build)\b", line)]
    assert "extract = akhbar.commands.extract:Command" in entry_points


def _pip_install(venv_python: Path, wheel: Path, cwd: Path) -> None:
    # The test's own pip installs into the new environment (pip --python): no pip is copied into
    # it first. --no-compile: the byte code is written on first import instead, not for every
    # module of every dependency (that took most of a minute).
    args = [sys.executable, "-m", "pip", "--python", venv_python, "install", "--no-compile",
            "--disable-pip-version-check", wheel]
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=_clean_env(), timeout=INSTALL_TIMEOUT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if NETWORK_FAILURE.search(output):
            pytest.skip(f"the package index is unreachable, so akhbar's dependencies cannot be "
                        f"installed into a fresh environment:\n{output[-2000:]}")
        pytest.fail(f"pip install of the wheel failed ({done.returncode}):\n{output[-8000:]}")


def _by_url(items: list[dict]) -> dict[str, dict]:
    return {item["url"]: item for item in items}


def test_a_new_scrapy_project_crawls_with_the_addon_and_its_own_spider(dist, tmp_path):
    wheel = _only(dist, "akhbar-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path, env=_clean_env(), timeout=120)
    bin_dir = venv / "bin"
    _pip_install(bin_dir / "python", wheel, tmp_path)
    env = _clean_env(bin_dir)

    # akhbar is the installed wheel, not this checkout
    where = _run([bin_dir / "python", "-c", "import akhbar; print(akhbar.__file__); print(akhbar.__version__)"],
                 cwd=tmp_path, env=env, timeout=60).stdout.split()
    assert Path(where[0]).is_relative_to(venv), where
    assert where[1] == akhbar.__version__

    _run([bin_dir / "scrapy", "startproject", PROJECT], cwd=tmp_path, env=env, timeout=60)
    project = tmp_path / PROJECT
    settings = project / PROJECT / "settings.py"
    text = settings.read_text(encoding="utf-8")
    if re.search(r"^ADDONS = \{\}$", text, flags=re.M):  # Scrapy 2.13+ writes an empty ADDONS
        text = re.sub(r"^ADDONS = \{\}$", ADDON_LINE, text, flags=re.M)
    else:
        text += f"\n{ADDON_LINE}\n"
    settings.write_text(text, encoding="utf-8")
    (project / PROJECT / "spiders" / f"{SPIDER}.py").write_text(USER_SPIDER, encoding="utf-8")

    # the project's spiders only: akhbar's outlets are not dragged in by the add-on
    listed = _run([bin_dir / "scrapy", "list"], cwd=project, env=env, timeout=CRAWL_TIMEOUT).stdout.split()
    assert listed == [SPIDER]

    # the store where a user finds it: akhbar's default, output/akhbar.sqlite3 in the project
    store = project / "output" / "akhbar.sqlite3"
    stats_file = tmp_path / "stats.json"
    _run([bin_dir / "scrapy", "crawl", SPIDER, "-O", "items.jsonl",
          "-s", f"AKHBAR_REPLAY={SITE / 'replay.tsv'}",
          "-s", f"AKHBAR_STATS_FILE={stats_file}"],
         cwd=project, env=env, timeout=CRAWL_TIMEOUT)

    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "finished"
    assert stats["akhbar/replay/hit"] == 3  # the feed and both stories, never the network
    assert stats["akhbar/articles"] == 2
    assert stats["akhbar/store/inserted"] == 2

    # the feed
    lines = (project / "items.jsonl").read_text(encoding="utf-8").splitlines()
    items = _by_url([json.loads(line) for line in lines])
    assert sorted(items) == [STORY_1041, STORY_1042]
    first, second = items[STORY_1041], items[STORY_1042]
    assert first["outlet"] == second["outlet"] == SPIDER
    assert first["headline"] == "افتتاح محطة جديدة لتحلية المياه في العين السخنة"
    assert first["agencies"] == ["MENA"] and first["agency_raw"] == "أ ش أ"
    assert first["dateline"] == "القاهرة"
    assert first["published_at"] == "2025-01-12T09:30:00+02:00"
    assert first["published_at_raw"] == "الأحد، 12 يناير 2025 09:30 ص"
    assert first["authors"] == ["أحمد سمير"]
    assert first["body"][0].startswith("افتتح وزير الإسكان")  # the attribution left the body
    assert second["agencies"] == ["AFP"] and second["agency_raw"] == "أ ف ب"
    assert second["dateline"] == "الإسكندرية"
    assert second["published_at"] == "2025-07-20T18:45:00+03:00"
    assert second["authors"] == ["منى عادل"]
    assert second["body"][-1] == "وتوقعت هيئة الأرصاد استمرار الطقس الحار حتى نهاية الأسبوع المقبل."

    # the SQLite store, by its tables
    assert store.is_file(), f"no store at {store}"
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT url, outlet, dateline, published_at, agency_raw FROM articles ORDER BY url").fetchall()
        codes = db.execute("SELECT a.url, g.code FROM agencies g JOIN articles a ON a.id = g.article_id "
                           "ORDER BY a.url, g.position").fetchall()
        authors = db.execute("SELECT a.url, n.name FROM authors n JOIN articles a ON a.id = n.article_id "
                             "ORDER BY a.url, n.position").fetchall()
    assert rows == [
        (STORY_1041, SPIDER, "القاهرة", "2025-01-12T09:30:00+02:00", "أ ش أ"),
        (STORY_1042, SPIDER, "الإسكندرية", "2025-07-20T18:45:00+03:00", "أ ف ب"),
    ]
    assert codes == [(STORY_1041, "MENA"), (STORY_1042, "AFP")]
    assert authors == [(STORY_1041, "أحمد سمير"), (STORY_1042, "منى عادل")]

    # scrapy extract on a saved page, with the project's own spider for the URL's domain
    extracted = _run([bin_dir / "scrapy", "extract", SITE / "story-1042.html", "--url", STORY_1042],
                     cwd=project, env=env, timeout=CRAWL_TIMEOUT)
    item = json.loads(extracted.stdout)
    assert item["outlet"] == SPIDER
    assert item["agencies"] == ["AFP"] and item["dateline"] == "الإسكندرية"
    assert item["published_at"] == "2025-07-20T18:45:00+03:00"
