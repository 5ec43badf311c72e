"""StorePipeline: every item that passed the pipelines before it is also written to a database.

Settings: `AKHBAR_DATABASE_URL` (default `sqlite:///output/akhbar.sqlite3`, relative to the
crawl's working directory; `postgresql://user:password@host:port/db` for PostgreSQL),
`AKHBAR_STORE_ENABLED` (default True), and how the writes are made (akhbar/defaults.py):
`AKHBAR_STORE_BATCH_SIZE` items or `AKHBAR_STORE_BATCH_MS` milliseconds per transaction, whichever
comes first, and `AKHBAR_STORE_QUEUE_SIZE` items waiting at most.

The database is written by a worker thread (akhbar/store_writer.py), never on the reactor thread:
`process_item` hands the item to the writer's bounded queue and passes it on as soon as it is
queued. When the queue is full, `process_item` waits for room: the crawl slows down to the
database's pace instead of holding ever more items in memory (counted as
`akhbar/store/queue_full`, once per item that waited).

When is an item stored? When its batch is committed; that is when it is counted
(`akhbar/store/inserted`, `akhbar/store/updated`, or `akhbar/store/failed`). The feeds may
receive it a moment before. `close_spider` waits until everything queued is committed, so a crawl
that closes (finishes, Ctrl-C once, a close condition) stores every item. A crawl killed with
`kill -9` loses what was queued and not yet committed (at most QUEUE_SIZE + BATCH_SIZE items, the
last BATCH_MS or so of a fast crawl); the next crawl downloads those articles again, because the
store, not the crawl's memory, decides what is done (akhbar/incremental.py).

A batch that fails is rolled back and written again item by item: an item that cannot be stored
is logged and counted (`akhbar/store/failed`; `akhbar/store/batch_retried` counts such batches,
`akhbar/store/batches` the ones committed whole), and still goes on to the feeds: one bad item
never stops the crawl nor costs the others. A database that cannot be opened does stop it, at
the start, with the reason (and the URL with its password masked).

The pipeline needs the asyncio reactor (akhbar's default, TWISTED_REACTOR): it waits on asyncio
futures that the writer thread settles with `call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from akhbar.storage import DEFAULT_URL, mask_url
from akhbar.store_writer import BatchResult, StoreWriter

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 50
DEFAULT_BATCH_MS = 500
DEFAULT_QUEUE_SIZE = 200


def running_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError("akhbar's store needs the asyncio reactor: TWISTED_REACTOR = "
                           "'twisted.internet.asyncioreactor.AsyncioSelectorReactor' "
                           "(akhbar's default)") from None


class StorePipeline:
    def __init__(self, url: str, stats, batch_size: int = DEFAULT_BATCH_SIZE,
                 batch_ms: float = DEFAULT_BATCH_MS, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.url = url
        self.stats = stats
        self.batch_size = batch_size
        self.batch_ms = batch_ms
        self.queue_size = queue_size
        self.writer: StoreWriter | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Items that found the queue full, in arrival order, with the future their
        # process_item awaits: they enter the queue first as room comes (an update of an
        # article never overtakes its earlier version).
        self._waiting: deque[tuple[dict, asyncio.Future]] = deque()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("AKHBAR_STORE_ENABLED", True):
            raise NotConfigured("AKHBAR_STORE_ENABLED is off")
        pipeline = cls(settings.get("AKHBAR_DATABASE_URL") or DEFAULT_URL, crawler.stats,
                       batch_size=settings.getint("AKHBAR_STORE_BATCH_SIZE", DEFAULT_BATCH_SIZE),
                       batch_ms=settings.getfloat("AKHBAR_STORE_BATCH_MS", DEFAULT_BATCH_MS),
                       queue_size=settings.getint("AKHBAR_STORE_QUEUE_SIZE", DEFAULT_QUEUE_SIZE))
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        return pipeline

    def engine_stopped(self) -> None:
        """A crawl that stopped without closing its pipelines (it failed at its start): what was
        queued is still written. Blocking, but the crawl is over."""
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.close()

    async def open_spider(self, spider=None) -> None:
        self._loop = running_loop()
        writer = StoreWriter(self.url, self.batch_size, self.batch_ms, self.queue_size,
                             on_space=self._space_from_thread, on_batch=self._batch_from_thread)
        # Opening connects and creates the schema: round-trips too, made on a thread.
        await self._loop.run_in_executor(None, writer.start)
        self.writer = writer

    async def close_spider(self, spider=None) -> None:
        if self.writer is None:
            return
        # Normally nothing waits here: Scrapy closes the pipelines once every item is through.
        while self._waiting:
            await asyncio.shield(self._waiting[-1][1])
        writer, self.writer = self.writer, None
        await self._loop.run_in_executor(None, writer.close)  # flushes the queue, then ends
        if writer.stored_count is not None:
            logger.info("akhbar store: %d articles in %s", writer.stored_count, mask_url(self.url))

    async def process_item(self, item, spider=None):
        if self.writer is None:  # used without open_spider (e.g. a test): open lazily
            await self.open_spider()
        record = ItemAdapter(item).asdict()
        if self._waiting or not self.writer.offer(record):
            self.stats.inc_value("akhbar/store/queue_full")
            future = self._loop.create_future()
            self._waiting.append((record, future))
            await future
        return item

    # --- called on the writer's thread: brought onto the event loop -------------------------
    def _space_from_thread(self) -> None:
        if self._waiting:  # read without a lock: a stale answer only delays to the next batch
            self._loop.call_soon_threadsafe(self._admit_waiting)

    def _batch_from_thread(self, result: BatchResult) -> None:
        self._loop.call_soon_threadsafe(self._count, result)

    # --- on the event loop --------------------------------------------------------------------
    def _admit_waiting(self) -> None:
        while self._waiting and self.writer is not None:
            record, future = self._waiting[0]
            if not self.writer.offer(record):
                return
            self._waiting.popleft()
            if not future.done():
                future.set_result(None)

    def _count(self, result: BatchResult) -> None:
        for name, value in (("inserted", result.inserted), ("updated", result.updated),
                            ("failed", result.failed), ("batches", result.batches),
                            ("batch_retried", result.retried)):
            if value:
                self.stats.inc_value(f"akhbar/store/{name}", value)
