"""`scrapy outlets [--markdown]`: every supported outlet, read from the spiders."""

from __future__ import annotations

import sys

from akhbar.cli import ProjectCommand

from akhbar.catalog import outlets, render_markdown


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "[--markdown]"

    def short_desc(self) -> str:
        return "List the supported outlets: domains, country, time zone, discovery, fields filled"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--markdown", action="store_true", help="print docs/outlets.md")

    def run(self, args: list[str], opts) -> None:
        rows = outlets()
        if opts.markdown:
            sys.stdout.write(render_markdown(rows))
            return
        for o in rows:
            sys.stdout.write(f"{o.name:12} {o.country or '-':3} {o.timezone:16} {', '.join(o.domains)}\n")
