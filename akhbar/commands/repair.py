"""`scrapy repair SPIDER --page P --url U [--page P2 --url U2 ...] [--write] [--spider-file PATH]`.

After a redesign: on saved pages of the outlet as it is now, the fields whose own selectors no
longer match (a fallback gave them: the drift check's ``akhbar/fallback/<field>``) are fitted
again, to the values the fallback reading gives (``akhbar.repair``). Prints, for a person to
check:

- per page, the failing selector keys (and the declared ones nothing on the page gives);
- the change to the spider file as a unified diff (its ``selectors`` dict, ``body_exclude``
  where the body container is fitted with blocks left out, and the date declarations
  (``printed_date_is_update`` ...) where the repaired selectors need others to give the dates);
- the keys that could not be fitted, with the reason (they keep their selectors: the fallback
  keeps giving the field);
- the draft expected item of each page (every field under ``review``, as genoutlet writes one):
  the fallback's values are a proposal, not checked.

``--write`` applies the diff. ``--spider-file PATH``: the spider is the class named SPIDER in that
file (a copy), which ``--write`` rewrites. A page where nothing failed is said so. An unknown
spider, a missing page or one that is no article to the spider: the reason on stderr, exit 2.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from akhbar import registry
from akhbar.cli import ProjectCommand
from akhbar.commands.fitspider import spider_in_file
from akhbar.commands.genoutlet import expected_item_json
from akhbar.repair import UnreadablePage, draft_of, repair, repaired_source, spider_diff

# Exit status for a spider or page repair cannot work with (what a usage error gives).
EXIT_CANNOT_REPAIR = 2


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "SPIDER --page PAGE.html --url URL [--page PAGE2.html --url URL2 ...] [--write] [--spider-file PATH]"

    def short_desc(self) -> str:
        return "Fit the selectors a redesign broke again, to the fallback reading of new pages; print the diff"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--page", action="append", default=[],
                            help="a saved page of the outlet as it is now (repeatable)")
        parser.add_argument("--url", action="append", default=[],
                            help="the URL the page was fetched from (one per --page, in the same order)")
        parser.add_argument("--write", action="store_true", help="apply the change to the spider file")
        parser.add_argument("--spider-file", help="the file holding the spider (default: its module)")

    def fail(self, message: str) -> None:
        super().fail(message)
        self.exitcode = EXIT_CANNOT_REPAIR

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give the SPIDER's name")
        if not opts.page:
            raise UsageError("give at least one --page (with its --url)")
        if len(opts.page) != len(opts.url):
            raise UsageError("--page and --url go together: one --url for each --page")
        try:
            spider = (spider_in_file(Path(opts.spider_file), args[0]) if opts.spider_file
                      else registry.spider_by_name(args[0]))
        except (KeyError, OSError, SyntaxError) as error:
            where = f" in {opts.spider_file}" if opts.spider_file else ""
            self.fail(f"no spider named {args[0]!r}{where} (see `scrapy list`)"
                      + (f": {error}" if not isinstance(error, KeyError) else ""))
            return
        pages = []
        for page, url in zip(opts.page, opts.url):
            try:
                pages.append((Path(page).name, url, Path(page).read_bytes()))
            except OSError as error:
                self.fail(f"cannot read page {page}: {error.strerror or error}")
                return
        try:
            outcome = repair(spider, pages)
        except UnreadablePage as error:
            self.fail(str(error))
            return
        out = sys.stdout
        for page in outcome.pages:
            if page.failing:
                out.write(f"{page.name}: {spider.name}'s selectors no longer give "
                          f"{', '.join(page.failing)} (a fallback did)\n")
            else:
                out.write(f"{page.name}: nothing to repair: every field {spider.name} declares selectors "
                          f"for comes from them\n")
            if page.empty:
                out.write(f"{page.name}: nothing on the page gives {', '.join(page.empty)} "
                          f"(check the page: absent, or missed by every reader)\n")
        if not outcome.failing:
            return
        target = Path(opts.spider_file) if opts.spider_file else Path(inspect.getsourcefile(spider))
        source = target.read_bytes().decode("utf-8")
        try:
            repaired = repaired_source(source, outcome)
        except (ValueError, SyntaxError) as error:
            self.fail(f"{target}: {error}")
            return
        for key, result in outcome.results.items():
            if result.fitted:
                excluding = (f" excluding {json.dumps(result.exclude, ensure_ascii=False)} (body_exclude)"
                             if result.exclude else "")
                out.write(f"  {key}: fitted {json.dumps(result.selectors, ensure_ascii=False)}{excluding}\n")
        for name, value in outcome.declarations.values.items():
            out.write(f"  {name}: fitted {value!r} (the dates need it)\n")
        if outcome.unfitted:
            out.write("not fitted (their selectors stay; the fallback keeps giving the field: a person's "
                      "selector):\n")
            for result in outcome.unfitted:
                out.write(f"  {result.field}: {result.reason}\n")
        diff = spider_diff(source, repaired, target)
        out.write("\n" + (diff or f"{target}: no change\n"))
        for page in outcome.pages:
            out.write(f"\n# the draft expected item of {page.name}: the fallback's values, not checked "
                      f"(check each field in \"review\" by reading the page)\n")
            out.write(expected_item_json(draft_of(spider.name, page)))
        if opts.write and repaired != source:
            target.write_bytes(repaired.encode("utf-8"))
            out.write(f"\nwrote {target}\n")
        elif diff:
            out.write("\ncheck the change, then apply it with --write\n")
