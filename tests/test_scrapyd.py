"""Deployment to a real Scrapyd: `scrapyd-deploy` builds the egg from scrapy.cfg and uploads it
with HTTP basic auth; every spider is scheduled with `schedule.json` against its offline replay
and finishes with its items in Scrapyd's items_dir.

Needs a running Scrapyd, e.g. `eval "$(bash scripts/scrapyd.sh start)"`, which exports
AKHBAR_TEST_SCRAPYD_URL, AKHBAR_TEST_SCRAPYD_ITEMS_DIR, SCRAPYD_USERNAME and SCRAPYD_PASSWORD
(credentials live in the environment only). Skipped, saying so, when AKHBAR_TEST_SCRAPYD_URL
is unset; CI sets it and forbids skips.
"""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import requests  # a dependency of scrapyd-client (the '.[test]' extra)

from shared import CORPUS_DIR

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "akhbar"
JOB_TIMEOUT = 240  # seconds for all the scheduled jobs to finish


class Scrapyd:
    def __init__(self, url: str, auth: tuple[str, str], items_dir: Path) -> None:
        self.url, self.auth, self.items_dir = url.rstrip("/"), auth, items_dir

    def get(self, endpoint: str, **params) -> dict:
        response = requests.get(f"{self.url}/{endpoint}", params=params, auth=self.auth, timeout=30)
        response.raise_for_status()
        data = response.json()
        assert data.get("status") == "ok", data
        return data

    def post(self, endpoint: str, data) -> dict:
        response = requests.post(f"{self.url}/{endpoint}", data=data, auth=self.auth, timeout=30)
        response.raise_for_status()
        result = response.json()
        assert result.get("status") == "ok", result
        return result

    def log(self, spider: str, job: str) -> str:
        """The job's log, for failure messages."""
        response = requests.get(f"{self.url}/logs/{PROJECT}/{spider}/{job}.log", auth=self.auth, timeout=30)
        return response.text if response.ok else f"(no log: HTTP {response.status_code})"


@pytest.fixture(scope="module")
def scrapyd() -> Scrapyd:
    url = os.environ.get("AKHBAR_TEST_SCRAPYD_URL")
    if not url:
        pytest.skip('no Scrapyd to deploy to: AKHBAR_TEST_SCRAPYD_URL is unset '
                    '(run `eval "$(bash scripts/scrapyd.sh start)"` first)')
    user, password = os.environ.get("SCRAPYD_USERNAME"), os.environ.get("SCRAPYD_PASSWORD")
    items_dir = os.environ.get("AKHBAR_TEST_SCRAPYD_ITEMS_DIR")
    if not (user and password and items_dir):
        pytest.fail("AKHBAR_TEST_SCRAPYD_URL is set but SCRAPYD_USERNAME, SCRAPYD_PASSWORD or "
                    "AKHBAR_TEST_SCRAPYD_ITEMS_DIR is not (scripts/scrapyd.sh start exports them all)")
    # scrapyd-deploy uses scrapy.cfg's default target: it must be the Scrapyd under test.
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "scrapy.cfg", encoding="utf-8")
    target = cfg.get("deploy", "url", fallback="").rstrip("/")
    if target != url.rstrip("/"):
        pytest.fail(f"scrapy.cfg's [deploy] url is {target!r} but the Scrapyd under test is {url!r}")
    return Scrapyd(url, (user, password), Path(items_dir))


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def scrapyd_deploy(*args: str) -> subprocess.CompletedProcess:
    """`scrapyd-deploy ARGS` from the project root, with this interpreter (and its setuptools)."""
    return run("-m", "scrapyd_client.deploy", *args)


def project_spiders() -> list[str]:
    result = run("-m", "scrapy", "list", timeout=120)
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.split())


def expected_article_urls(spider: str, manifest: Path) -> set[str]:
    """The article pages of the spider's replay whose recorded file exists (as test_crawl_youm7),
    as the spider run with the manifest's ``# args:`` sees them (the generic spider's hosts)."""
    from akhbar.registry import spider_by_name
    from akhbar.replay import ReplayArchive, replay_args, replay_key

    spider_obj = spider_by_name(spider)(**replay_args(manifest))
    archive = ReplayArchive.load(manifest, CORPUS_DIR)
    return {replay_key(r.url) for r in archive.recordings.values() if spider_obj.is_article_url(r.url)}


def test_unauthenticated_requests_are_refused(scrapyd):
    for endpoint in ("daemonstatus.json", f"listspiders.json?project={PROJECT}", "jobs", "logs/"):
        assert requests.get(f"{scrapyd.url}/{endpoint}", timeout=30).status_code == 401, endpoint
    wrong = (scrapyd.auth[0], scrapyd.auth[1] + "x")
    assert requests.get(f"{scrapyd.url}/daemonstatus.json", auth=wrong, timeout=30).status_code == 401
    for endpoint, data in (("schedule.json", {"project": PROJECT, "spider": "youm7"}),
                           ("addversion.json", {"project": PROJECT, "version": "intruder"}),
                           ("delproject.json", {"project": PROJECT})):
        assert requests.post(f"{scrapyd.url}/{endpoint}", data=data, timeout=30).status_code == 401, endpoint
    assert scrapyd.get("daemonstatus.json")["status"] == "ok"


def test_egg_carries_the_package_and_its_data(scrapyd, tmp_path):
    egg = tmp_path / "akhbar.egg"
    result = scrapyd_deploy("--build-egg", str(egg))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    # Every file of the package (modules and data: akhbar/data/*, the agency registry) is in it.
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "akhbar").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert "akhbar/data/agencies.json" in package, "the agency registry akhbar/data/agencies.json is missing"
    assert not package - names, f"left out of the egg: {sorted(package - names)}"
    # Scrapyd runs the spiders with the settings module the egg names.
    assert "[scrapy]" in entry_points and "settings = akhbar.settings" in entry_points, entry_points


@pytest.fixture(scope="module")
def deployed(scrapyd):
    """`scrapyd-deploy -v <unique version>` with scrapy.cfg's target; the version is removed after."""
    version = f"test-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    result = scrapyd_deploy("-v", version)
    assert result.returncode == 0, f"scrapyd-deploy failed:\n{result.stdout}\n{result.stderr}"
    response = json.loads(result.stdout.strip().splitlines()[-1])
    assert response["status"] == "ok" and response["project"] == PROJECT and response["version"] == version
    yield version
    requests.post(f"{scrapyd.url}/delversion.json", data={"project": PROJECT, "version": version},
                  auth=scrapyd.auth, timeout=30)


def test_deployed_egg_lists_every_spider(scrapyd, deployed):
    assert deployed in scrapyd.get("listversions.json", project=PROJECT)["versions"]
    listed = scrapyd.get("listspiders.json", project=PROJECT, _version=deployed)["spiders"]
    assert sorted(listed) == project_spiders()


def test_every_spider_runs_on_scrapyd_into_items_dir(scrapyd, deployed, tmp_path):
    spiders = project_spiders()
    assert spiders
    # Every spider has an offline replay, so it can run here without the network.
    manifests = {spider: ROOT / "replay" / f"{spider}.tsv" for spider in spiders}
    missing = [spider for spider, manifest in manifests.items() if not manifest.is_file()]
    assert not missing, f"spiders without a replay manifest replay/<spider>.tsv: {missing}"

    from akhbar.replay import replay_args

    jobs: dict[str, str] = {}
    for spider in spiders:
        jobs[spider] = scrapyd.post("schedule.json", [
            ("project", PROJECT), ("spider", spider), ("_version", deployed),
            *replay_args(manifests[spider]).items(),  # "# args: feed=..." (the generic spider)
            ("setting", f"AKHBAR_REPLAY={manifests[spider]}"),
            ("setting", f"AKHBAR_CORPUS_DIR={CORPUS_DIR.resolve()}"),
            ("setting", f"AKHBAR_STATS_FILE={tmp_path / f'{spider}-stats.json'}"),
            # A store of its own: a store shared with earlier runs would skip stored articles.
            ("setting", f"AKHBAR_DATABASE_URL=sqlite:///{tmp_path / f'{spider}.sqlite3'}"),
        ])["jobid"]

    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        listing = scrapyd.get("listjobs.json", project=PROJECT)
        finished = {job["id"] for job in listing["finished"]}
        if finished >= set(jobs.values()):
            break
        if time.monotonic() > deadline:
            unfinished = {s: j for s, j in jobs.items() if j not in finished}
            logs = "\n".join(f"--- {s} ---\n{scrapyd.log(s, j)[-3000:]}" for s, j in unfinished.items())
            pytest.fail(f"jobs not finished after {JOB_TIMEOUT} s: {unfinished}\n{logs}")
        time.sleep(1)

    for spider, job in jobs.items():
        log = scrapyd.log(spider, job)
        stats_file = tmp_path / f"{spider}-stats.json"
        assert stats_file.is_file(), f"{spider}: the job wrote no stats (did it crash?)\n{log[-3000:]}"
        stats = json.loads(stats_file.read_text(encoding="utf-8"))
        assert stats.get("finish_reason") == "finished", f"{spider}: {stats.get('finish_reason')}\n{log[-3000:]}"
        assert stats.get("log_count/ERROR", 0) == 0, f"{spider}: errors in the job\n{log[-5000:]}"

        items_file = scrapyd.items_dir / PROJECT / spider / f"{job}.jl"
        assert items_file.is_file(), f"{spider}: no items file {items_file}\n{log[-3000:]}"
        items = [json.loads(line) for line in items_file.read_text(encoding="utf-8").splitlines()]
        expected = expected_article_urls(spider, manifests[spider])
        assert expected, f"{spider}: its replay holds no article page"
        assert len(items) == len(expected), (
            f"{spider}: {len(items)} items in {items_file}, expected {len(expected)}\n{log[-5000:]}")
        from akhbar.replay import replay_key
        assert {replay_key(item["url"]) for item in items} == expected
        for item in items:
            assert item["outlet"] == spider, item["url"]
            assert item["headline"], item["url"]
            assert item["body"], item["url"]
