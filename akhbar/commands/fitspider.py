"""`scrapy fitspider NAME [--page P --url U]... [--write]`: fit a spider's selectors to its pages.

From sample pages and their checked expected items (``akhbar.fitting``), for every fitted field
(headline, subheadline, section, published_at, byline, tags, body, lead_image): the spider's own
selectors where they already give the expected value on every page, else the simplest selector
that does, else the reason none does (never a guess). Prints one line per field.

Sample pages: each ``--page P`` (with its ``--url U``) and its expected item beside it
(``P`` with ``.json``); by default the pages the data-driven test pairs for the spider's domains
(tests/pages/<host>/ and the shared corpus's expected/<host>/, where present). An expected item
whose ``review`` list still names a field (a genoutlet draft) is refused.

``--spider-file PATH``: the spider is the class named NAME in that file (a copy of a spider
module), not the project's. ``--write``: rewrite the ``selectors = {...}`` dict of the spider's
file (``--spider-file``, default the module the spider is defined in) with the fitted selectors, one key a line; the
rest of the file is kept byte for byte. Unfittable fields keep what the spider declares.
Where the spider's story URLs (``related_link``, else ``article_url``) do not give the expected
related lists and the shapes of the URLs they link do, ``related_link`` is proposed too and
``--write`` sets it (after ``article_url``, with a comment); where the shapes alone do not, the
lists' headings (``related_heading`` in ``selectors``, ``related_heading_levels`` beside them;
``akhbar.fitting.fit_story_links``). Where the fitted selectors do not give the expected
``published_at``, ``published_at_raw`` and ``modified_at``, the simplest date declarations that
do (``printed_date_is_update``, ``metadata_date_wins``, ``metadata_clock_is_local``,
``timezone_from_metadata``; ``akhbar.fitting.fit_dates``) are proposed and ``--write`` sets them
as class attributes right before ``selectors``. A body container fitted with blocks
to leave out (a share bar, a "read also" box) has them added to the spider's ``body_exclude``. A spider written by ``genoutlet --fit``
loses its "fitted to the drafts" comment when fitted here (on checked items).
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
from pathlib import Path

from scrapy.exceptions import UsageError

from akhbar import registry
from akhbar.catalog import OWN_PAGES
from akhbar.cli import ProjectCommand
from akhbar.commands.genoutlet import provisional_comment
from akhbar.fitting import (FITTED_FIELDS, DraftNotChecked, default_sample_files, fit, fit_dates,
                            fit_story_links, fitted_selectors, fitted_spider, load_sample, regex_literal,
                            rewrite_attribute, rewrite_selectors, write_body_exclude, write_declarations)
from akhbar.replay import DEFAULT_CORPUS_DIR


# How a key no sample page gives a value for is reported (akhbar.fitting), and a key the
# fitted declarations make unnecessary.
NO_VALUE_REASON = "no sample page"
NOT_NEEDED = "not needed"
_HEADING_LEVELS_COMMENT = ("Fitted by `scrapy fitspider`: how far above a related list's heading (related_heading)\n"
                           "the element it shares with its links is.")
_STORY_LINK_COMMENT = ("Fitted by `scrapy fitspider`: the shapes of the story URLs the sample pages' related\n"
                       "lists link (check them on more of the outlet's pages).")


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "NAME [--page PAGE.html --url URL ...] [--write] [--spider-file PATH]"

    def short_desc(self) -> str:
        return "Fit a spider's selectors to its sample pages and their checked expected items"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--page", action="append", default=[],
                            help="a sample page; its expected item is the .json beside it (repeatable)")
        parser.add_argument("--url", action="append", default=[],
                            help="the URL the page was fetched from (one per --page, in the same order)")
        parser.add_argument("--write", action="store_true",
                            help="rewrite the spider's selectors dict with the fitted selectors")
        parser.add_argument("--spider-file", help="the file to rewrite (default: the spider's module)")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give the spider's NAME")
        if len(opts.page) != len(opts.url):
            raise UsageError("--page and --url go together: one --url for each --page")
        try:
            spider = (spider_in_file(Path(opts.spider_file), args[0]) if opts.spider_file
                      else registry.spider_by_name(args[0]))
        except KeyError:
            self.fail(f"no spider named {args[0]!r} (see `scrapy list`)"
                      + (f" in {opts.spider_file}" if opts.spider_file else ""))
            return
        if opts.page:
            pairs = [(Path(page), Path(page).with_suffix(".json"), url) for page, url in zip(opts.page, opts.url)]
        else:
            corpus = Path(os.environ.get("AKHBAR_CORPUS_DIR") or DEFAULT_CORPUS_DIR)
            pairs = [(page, expected, None) for page, expected in default_sample_files(spider, OWN_PAGES, corpus)]
        if not pairs:
            self.fail(f"{spider.name}: no sample page with an expected item (give --page and --url)")
            return
        samples, problems = [], []
        for page, expected, url in pairs:
            if not page.is_file():
                problems.append(f"{page}: no such page")
            elif not expected.is_file():
                problems.append(f"{page}: no expected item {expected.name} beside it")
            else:
                try:
                    samples.append(load_sample(page, url, expected))
                except DraftNotChecked as error:
                    problems.append(str(error))
                except (ValueError, KeyError) as error:
                    problems.append(f"{expected}: unreadable expected item ({error})")
        if problems:
            self.fail("cannot fit on these samples:\n  " + "\n  ".join(problems))
            return
        results = fit(spider, samples)
        # the date declarations, where the fitted selectors alone do not give the dates (the
        # published_at selector fitted again with them where none gave the dates before)
        dates = fit_dates(spider, samples, results)
        out = sys.stdout
        out.write(f"{spider.name}: fitted on {len(samples)} page(s): "
                  f"{', '.join(s.name for s in samples)}\n")
        for field in FITTED_FIELDS:
            result = results[field]
            shown = json.dumps(result.selectors, ensure_ascii=False)
            if result.kept:
                out.write(f"  {field}: kept {shown} (already gives the expected value)\n")
            elif result.selectors:
                excluding = (f" excluding {json.dumps(result.exclude, ensure_ascii=False)} (body_exclude)"
                             if result.exclude else "")
                out.write(f"  {field}: fitted {shown}{excluding}\n")
        selectors = fitted_selectors(spider, results)
        fitted = fitted_spider(spider, results)
        for name, value in dates.values.items():
            out.write(f"  {name}: fitted {value!r} (the dates need it)\n")
        if dates.values:
            fitted = type(fitted.__name__, (fitted,), dict(dates.values))
        story_links = fit_story_links(fitted, samples)
        if story_links.pattern:
            out.write(f"  related_link: fitted {regex_literal(story_links.pattern)} (the URLs the related lists link)\n")
        if story_links.headings:
            selectors["related_heading"] = list(story_links.headings)
            out.write(f"  related_heading: fitted {json.dumps(story_links.headings, ensure_ascii=False)} "
                      f"(the related lists' headings)\n")
        if story_links.heading_levels is not None:
            out.write(f"  related_heading_levels: fitted {story_links.heading_levels}\n")
        if dates.kept or dates.fitted:  # the update date comes out right without a selector of its own
            modified = results.get("modified_meta")
            if modified is not None and not modified.selectors and modified.reason \
                    and not modified.reason.startswith(NO_VALUE_REASON):
                modified.reason = (f"{NOT_NEEDED}: modified_at comes out right without it"
                                   + (f" ({', '.join(dates.values)})" if dates.values else ""))
        unfitted = [r for r in results.values() if not r.selectors]
        if unfitted:
            out.write("not fitted (a person's selector or the reader chain's fallback):\n")
            for result in unfitted:
                out.write(f"  {result.field}: {result.reason}\n")
        if dates.reason and not dates.kept:
            out.write(f"  date declarations: not fitted ({dates.reason})\n")
        if not story_links.fitted:
            out.write(f"  related_link: not fitted ({story_links.reason})\n")
        if not opts.write:
            return
        target = Path(opts.spider_file) if opts.spider_file else Path(inspect.getsourcefile(spider))
        source = target.read_bytes().decode("utf-8")  # line ends as they are
        try:
            written = rewrite_selectors(source, spider.__name__, selectors)
        except (ValueError, SyntaxError) as error:
            self.fail(f"{target}: {error}")
            return
        written = write_body_exclude(written, spider, results)
        written = write_declarations(written, spider.__name__, dates.values)
        if story_links.pattern:
            written = rewrite_attribute(written, spider.__name__, "related_link", regex_literal(story_links.pattern),
                                        _STORY_LINK_COMMENT)
        if story_links.heading_levels is not None:
            written = rewrite_attribute(written, spider.__name__, "related_heading_levels",
                                        str(story_links.heading_levels), _HEADING_LEVELS_COMMENT,
                                        before_selectors=True)
        # fitted on checked items now: genoutlet --fit's "fitted to the drafts" warning goes
        written = written.replace(provisional_comment(spider.name), "")
        if written != source:
            target.write_bytes(written.encode("utf-8"))
            out.write(f"wrote {target}\n")
        else:
            out.write(f"{target}: unchanged\n")


def spider_in_file(path: Path, name: str) -> type:
    """The spider class named ``name`` defined in a Python file (a copy of a spider module
    outside the project's spiders: fitted and rewritten without touching the registry)."""
    spec = importlib.util.spec_from_file_location(f"_fitspider_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for value in vars(module).values():
        if isinstance(value, type) and getattr(value, "name", None) == name and value.__module__ == module.__name__:
            return value
    raise KeyError(name)
