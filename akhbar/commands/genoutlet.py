"""`scrapy genoutlet NAME DOMAIN`: the skeleton of a new outlet spider and its test entry.

Writes akhbar/spiders/NAME.py from akhbar/templates/outlet.py.tmpl and a replay manifest
replay/NAME.tsv. With `--page PAGE.html --url URL` it also saves the page as the outlet's test
page, tests/pages/DOMAIN/<page>.html, with an expected item to fill in by reading the page:
every field empty, so the data-driven test fails until it is written.
"""

from __future__ import annotations

import json
import re
import shutil
import string
import sys
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from akhbar.cli import ProjectCommand
from scrapy.exceptions import UsageError

from akhbar.items import FIELDS, LIST_FIELDS
from akhbar.replay import PROJECT_ROOT

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "NAME DOMAIN [--timezone ZONE] [--country CC] [--page PAGE.html --url URL]"

    def short_desc(self) -> str:
        return "Write the skeleton of a new outlet spider and its test entry"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--timezone", default="UTC", help="IANA zone the outlet prints dates in")
        parser.add_argument("--country", help="ISO 3166 country code of the outlet")
        parser.add_argument("--page", help="a saved article page of the outlet, to become its test page")
        parser.add_argument("--url", help="the URL the page was fetched from")
        parser.add_argument("--root", default=str(PROJECT_ROOT), help="project root to write into")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 2:
            raise UsageError("give NAME and DOMAIN")
        name, domain = args[0], args[1].lower().removeprefix("www.")
        if not _NAME.match(name):
            raise UsageError(f"NAME {name!r}: lower-case letters, digits and _ (a Python module name)")
        if bool(opts.page) != bool(opts.url):
            raise UsageError("--page and --url go together")
        root = Path(opts.root)
        spider_file = root / "akhbar" / "spiders" / f"{name}.py"
        if spider_file.exists():
            self.fail(f"{spider_file} exists already")
            return
        spider_file.parent.mkdir(parents=True, exist_ok=True)
        template = string.Template(files("akhbar").joinpath("templates/outlet.py.tmpl").read_text("utf-8"))
        spider_file.write_text(template.substitute(
            name=name, domain=domain, title=name.replace("_", " ").title(),
            class_name="".join(part.title() for part in name.split("_")),
            country=json.dumps(opts.country.upper()) if opts.country else "None",
            country_comment=opts.country.upper() if opts.country else "country unknown",
            timezone=opts.timezone, article_url=r"^/\S+/\d+",
        ), encoding="utf-8")
        written = [spider_file]
        manifest_rows = []
        if opts.page:
            page = Path(opts.page)
            host = urlsplit(opts.url).hostname or domain
            target = root / "tests" / "pages" / host / page.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
            expected = {"file": f"{host}/{page.name}", "url": opts.url, "outlet": name, "language": "ar"}
            expected.update({f: ([] if f in LIST_FIELDS else None) for f in FIELDS if f not in expected
                             and f not in ("canonical_url", "scraped_at")})
            expected["ambiguous"] = []
            expected["notes"] = "TODO: write every field by reading the page, never from the program's output."
            target.with_suffix(".json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
            written += [target, target.with_suffix(".json")]
            manifest_rows.append(f"{opts.url}\t../tests/pages/{host}/{page.name}\n")
        manifest = root / "replay" / f"{name}.tsv"
        if not manifest.exists():
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest.write_text(f"# Offline replay of the {name} spider (see akhbar/replay.py).\n"
                                "url\tsource\tstatus\tcontent_type\n" + "".join(manifest_rows), encoding="utf-8")
            written.append(manifest)
        for path in written:
            sys.stdout.write(f"wrote {path}\n")

