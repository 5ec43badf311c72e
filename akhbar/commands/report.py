"""`scrapy report [-o report.html] [--database URL] [--days N]`: a picture of who reports what.

Reads the store (`--database`, else the AKHBAR_DATABASE_URL setting) and writes one HTML page
that works with no internet (akhbar/report.py draws it).
"""

from __future__ import annotations

import os
import sys

from akhbar.cli import ProjectCommand
from akhbar.storage import DEFAULT_URL, ArticleStore, StoreError, mask_url, sqlite_path

DEFAULT_OUTPUT = "output/report.html"


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "[-o report.html] [--database URL] [--days N]"

    def short_desc(self) -> str:
        return "Write an HTML report of the store: articles per day, agencies, datelines, coverage, drops"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", default=DEFAULT_OUTPUT, metavar="FILE",
                            help=f"the HTML page to write (default: {DEFAULT_OUTPUT})")
        parser.add_argument("--database", metavar="URL",
                            help="the store: sqlite:///path or postgresql://... (default: AKHBAR_DATABASE_URL)")
        parser.add_argument("--days", type=int, metavar="N",
                            help="only the articles of the N days up to the newest one stored (default: all)")

    def run(self, args: list[str], opts) -> None:
        from akhbar.report import write_report

        if args:
            self.fail(f"unexpected argument {args[0]!r} (the page is written with -o FILE)")
            return
        if opts.days is not None and opts.days < 1:
            self.fail(f"--days must be at least 1, got {opts.days}")
            return
        url = opts.database or self.settings.get("AKHBAR_DATABASE_URL") or DEFAULT_URL
        try:
            # Opening a SQLite store creates it: a report of a file that is not there is a mistake.
            if url.lower().startswith("sqlite:"):
                path = sqlite_path(url)
                if path != ":memory:" and not os.path.exists(path):
                    self.fail(f"no store at {path} (crawl first, or name one with --database URL)")
                    return
            with ArticleStore.open(url) as store:
                data = write_report(store, opts.output, days=opts.days)
        except StoreError as exc:
            self.fail(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a database error: one line, not a traceback
            self.fail(f"cannot read {mask_url(url)}: {type(exc).__name__}: {exc}")
            return
        sys.stdout.write(f"{opts.output}: {data.total} articles of {len(data.articles)} outlets, "
                         f"{len(data.crawls)} recorded crawls\n")
