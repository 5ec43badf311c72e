from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from akhbar.replay import ReplayArchive, ReplayMiddleware


def make_manifest(tmp_path: Path) -> Path:
    (tmp_path / "page.html").write_text("<html><body><p>صفحة</p></body></html>", encoding="utf-8")
    manifest = tmp_path / "replay.tsv"
    manifest.write_text(
        "# comment\nurl\tsource\tstatus\tcontent_type\n"
        "https://www.youm7.com/story/2025/1/5/مكتبة/9\tpage.html\t\t\n"
        "https://www.youm7.com/gone\tpage.html\t410\ttext/html\n"
        "https://www.youm7.com/absent\tcorpus:nowhere/absent.html\t\t\n",
        encoding="utf-8")
    return manifest


def test_archive_matches_percent_encoded_requests_and_leaves_out_absent_files(tmp_path):
    archive = ReplayArchive.load(make_manifest(tmp_path), corpus_dir=tmp_path / "corpus")
    assert len(archive) == 2
    assert archive.unavailable == ["https://www.youm7.com/absent"]
    encoded = "https://www.youm7.com/story/2025/1/5/%D9%85%D9%83%D8%AA%D8%A8%D8%A9/9"
    assert archive.get(encoded).path.name == "page.html"


def test_middleware_replays_hits_and_counts_misses(tmp_path):
    stats = get_crawler().stats
    middleware = ReplayMiddleware(ReplayArchive.load(make_manifest(tmp_path)), stats)
    response = middleware.process_request(Request("https://www.youm7.com/story/2025/1/5/مكتبة/9"))
    assert response.status == 200 and "صفحة" in response.text
    assert middleware.process_request(Request("https://www.youm7.com/gone")).status == 410
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("https://www.youm7.com/never-recorded"))
    assert stats.get_value("akhbar/replay/hit") == 2
    assert stats.get_value("akhbar/replay/miss") == 1
