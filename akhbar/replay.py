"""Offline replay of recorded pages: the same spider code crawls without a network.

A replay manifest is a TSV file with the columns ``url``, ``source`` and, optionally,
``status`` (default 200) and ``content_type`` (default ``text/html; charset=utf-8``).
``source`` is the recorded body: ``corpus:<path>`` under the shared corpus of real pages
(AKHBAR_CORPUS_DIR, default ``../shared/corpus`` beside the project), or a path relative
to the manifest's folder. Lines starting with ``#`` are comments; a comment line
``# args: name=value [name=value ...]`` gives the spider arguments a replay run needs (the generic
spider has no sources of its own: ``# args: feed=https://unknown.example/rss.xml``), read by
``replay_args`` (tests/test_scrapyd.py schedules every spider with them).

With ``AKHBAR_REPLAY=<manifest>`` set, ReplayMiddleware answers every request from the
manifest; a URL that was not recorded is ignored and counted (`akhbar/replay/miss`), with
``NotRecorded``: a replay records only part of an outlet on purpose (one of its nine feeds, no
section pages), so a discovery source it has no recording for is no failure and is not warned
about (``akhbar/replay/not_recorded``, logged at DEBUG), while a recorded error page still is.
Entries whose corpus file is absent are left out (`akhbar/replay/unavailable`), so the
replay falls back to the pages the project carries itself.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url, safe_url_string

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"


class NotRecorded(IgnoreRequest):
    """A request the replay has no recording for: left out on purpose, not a download failure."""


@dataclass(frozen=True)
class Recording:
    url: str
    path: Path
    status: int
    content_type: str


def replay_key(url: str) -> str:
    """Recorded and requested URLs match whatever their percent-encoding and query order."""
    return canonicalize_url(safe_url_string(url))


def replay_args(manifest: str | Path) -> dict[str, str]:
    """The spider arguments a manifest's ``# args: name=value ...`` comment lines declare."""
    args: dict[str, str] = {}
    with Path(manifest).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                continue
            body = line[1:].strip()
            if body.startswith("args:"):
                for pair in body[len("args:"):].split():
                    name, sep, value = pair.partition("=")
                    if sep and name:
                        args[name] = value
    return args


class ReplayArchive:
    def __init__(self, recordings: list[Recording], unavailable: list[str]) -> None:
        self.recordings = {replay_key(r.url): r for r in recordings}
        self.unavailable = unavailable

    @classmethod
    def load(cls, manifest: str | Path, corpus_dir: str | Path | None = None) -> "ReplayArchive":
        manifest = Path(manifest)
        corpus = Path(corpus_dir) if corpus_dir else DEFAULT_CORPUS_DIR
        recordings, unavailable = [], []
        with manifest.open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
            for row in rows:
                source = row["source"].strip()
                if source.startswith("corpus:"):
                    path = corpus / source.removeprefix("corpus:")
                else:
                    path = manifest.parent / source
                if not path.is_file():
                    unavailable.append(row["url"])
                    continue
                recordings.append(Recording(
                    url=row["url"].strip(),
                    path=path,
                    status=int(row.get("status") or 200),
                    content_type=(row.get("content_type") or "text/html; charset=utf-8").strip(),
                ))
        return cls(recordings, unavailable)

    def get(self, url: str) -> Recording | None:
        return self.recordings.get(replay_key(url))

    def __len__(self) -> int:
        return len(self.recordings)


class ReplayMiddleware:
    """Downloader middleware answering requests from a replay manifest (AKHBAR_REPLAY)."""

    def __init__(self, archive: ReplayArchive, stats) -> None:
        self.archive = archive
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        manifest = crawler.settings.get("AKHBAR_REPLAY")
        if not manifest:
            raise NotConfigured
        archive = ReplayArchive.load(manifest, crawler.settings.get("AKHBAR_CORPUS_DIR"))
        crawler.stats.set_value("akhbar/replay/recorded", len(archive))
        if archive.unavailable:
            crawler.stats.set_value("akhbar/replay/unavailable", len(archive.unavailable))
            logger.warning("Replay: %d recorded pages are absent (no shared corpus?); replaying %d",
                           len(archive.unavailable), len(archive))
        return cls(archive, crawler.stats)

    def process_request(self, request, spider=None):
        recording = self.archive.get(request.url)
        if recording is None:
            self.stats.inc_value("akhbar/replay/miss")
            raise NotRecorded(f"not recorded: {request.url}")
        self.stats.inc_value("akhbar/replay/hit")
        body = recording.path.read_bytes()
        headers = Headers({"Content-Type": recording.content_type})
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return respcls(url=request.url, status=recording.status, headers=headers, body=body,
                       request=request)
