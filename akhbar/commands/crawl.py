"""`scrapy crawl SPIDER`: Scrapy's crawl command, with an exit status that says how the crawl went.

Scrapy's own command exits 0 whatever happened once the crawl started, and prints a traceback
for an unknown spider or a bad spider argument. This one reports those in one line on stderr and
exits with a status that cron, systemd and Scrapyd's callers can test:

====  ==========================================================================================
exit  meaning
====  ==========================================================================================
0     the crawl finished (finish reason ``finished``, or a limit you set: ``closespider_timeout``,
      ``closespider_itemcount``, ``closespider_pagecount``)
1     the crawl failed: ``nothing_fetched`` (no feed, sitemap or page answered: DNS, refused,
      HTTP errors), another finish reason (e.g. ``closespider_errorcount``), or it could not start
2     usage: an unknown spider, a bad spider argument (``-a since=2024-13-45``, ``-a follow=abc``,
      ``-a urls=`` of another outlet only), a bad option
3     ``layout_changed``: the crawl ran and its items were delivered, but the field coverage says
      the outlet's layout changed (akhbar/coverage.py): repair the spider's selectors
4     ``shutdown``: stopped before the end (Ctrl-C, SIGTERM); with ``-s JOBDIR=...`` run it again to
      resume
====  ==========================================================================================

A non-zero status also gets one line on stderr (``scrapy crawl: youm7: nothing_fetched (exit
status 1)``), which reaches cron's mail even when the log goes to LOG_FILE.
"""

from __future__ import annotations

import asyncio
import difflib
import sys
import traceback
from typing import Any, Callable

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from akhbar.extraction.selecting import InvalidSelector
from akhbar.summary import NOTHING_FETCHED

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2  # what Scrapy itself exits with on a UsageError
EXIT_LAYOUT_CHANGED = 3
EXIT_STOPPED = 4

# Finish reasons of a crawl that went as asked: it ended, or reached a limit the user set.
SUCCESS_REASONS = frozenset({"finished", "closespider_timeout", "closespider_itemcount",
                             "closespider_pagecount", "closespider_timeout_no_item"})
EXIT_BY_REASON = {NOTHING_FETCHED: EXIT_FAILED, "layout_changed": EXIT_LAYOUT_CHANGED,
                  "shutdown": EXIT_STOPPED}


def exit_status(finish_reason: str | None) -> int:
    """The exit status of a crawl that ended with this finish reason (table above)."""
    if finish_reason in SUCCESS_REASONS:
        return EXIT_OK
    return EXIT_BY_REASON.get(finish_reason, EXIT_FAILED)


def is_argument_error(error: BaseException) -> bool:
    """A spider that refused its arguments: akhbar's spiders raise SpiderArgumentError (a
    ValueError); a ValueError from any spider's constructor is taken as one too. A broken
    selector (InvalidSelector) is the spider's own fault, not the arguments'."""
    return isinstance(error, ValueError) and not isinstance(error, InvalidSelector)


def _on_start_failure(started: Any, record: Callable[[BaseException], None]) -> None:
    """Call ``record`` with the exception that kept a crawl from starting, and keep it from
    being printed as an unhandled error (an asyncio Task or a Twisted Deferred, by reactor)."""
    if isinstance(started, asyncio.Future):
        def done(task: asyncio.Future) -> None:
            if not task.cancelled() and task.exception() is not None:  # retrieved: not logged again
                record(task.exception())
        started.add_done_callback(done)
    elif hasattr(started, "addErrback"):
        def failed(failure) -> None:
            record(failure.value)
        started.addErrback(failed)


class Command(ScrapyCrawlCommand):

    def long_desc(self) -> str:
        return ("Run a spider of the current project, by name. Exit status: 0 finished, 1 failed "
                "(nothing_fetched ...), 2 usage (unknown spider, bad -a argument), 3 layout_changed, "
                "4 stopped before the end.")

    def run(self, args: list[str], opts) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        name = args[0]
        assert self.crawler_process
        try:
            crawler = self.crawler_process.create_crawler(name)
        except KeyError:
            self._fail(EXIT_USAGE, f"no spider named {name!r}{self._suggestion(name)}; `scrapy list` lists them")
            return
        start_errors: list[BaseException] = []
        _on_start_failure(self.crawler_process.crawl(crawler, **opts.spargs), start_errors.append)
        self.crawler_process.start()
        if start_errors:
            error = start_errors[0]
            if is_argument_error(error):
                self._fail(EXIT_USAGE, f"{name}: {error}")
            else:
                traceback.print_exception(type(error), error, error.__traceback__)
                self._fail(EXIT_FAILED, f"{name} could not start: {type(error).__name__}: {error}")
            return
        if self.crawler_process.bootstrap_failed:
            self._fail(EXIT_FAILED, f"{name} could not start")
            return
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        reason = stats.get("finish_reason")
        self.exitcode = exit_status(reason)
        if self.exitcode:
            self._fail(self.exitcode, f"{name}: {reason} (exit status {self.exitcode})")

    def _suggestion(self, name: str) -> str:
        try:
            known = self.crawler_process.spider_loader.list()
        except Exception:  # noqa: BLE001 - only a hint
            return ""
        close = difflib.get_close_matches(name, known, n=3)
        return f" (did you mean {', '.join(close)}?)" if close else ""

    def _fail(self, status: int, message: str) -> None:
        sys.stderr.write(f"scrapy crawl: {message}\n")
        self.exitcode = status
