"""Database work off the reactor thread: batched writes (StoreWriter) and lookups (StoreLookups).

A crawl's reactor thread downloads, parses and runs every callback; a database round-trip made on
it stops all of that for its duration (with PostgreSQL on another machine, about ten per stored
article). Here each database connection lives on a thread of its own (an SQLite connection is
usable only on the thread that opened it), and the reactor side only hands work over:

- StoreWriter: one thread, one connection, fed by a bounded queue. It takes up to `batch_size`
  items, or what arrived within `batch_ms` of the first one, whichever comes first, and writes them
  in one transaction (ArticleStore.upsert_many: a few statements per batch). A batch that fails is
  rolled back and written again item by item (ArticleStore.upsert, one transaction each), so one
  bad item costs only itself: it is logged and counted as failed, and the others are stored.
- StoreLookups: a few threads, each with its own connection, answering "is one of these URLs
  stored?" for SkipStoredMiddleware. A thread takes every question waiting (up to
  LOOKUPS_PER_QUERY) and asks the database once for all (ArticleStore.stored_among): under load,
  one round-trip answers many requests.

Neither knows about Scrapy or the reactor: results go to callbacks, called on the worker thread;
the callers (akhbar/store_pipeline.py, akhbar/incremental.py) bring them back onto the event loop.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from akhbar.storage import ArticleStore, StoreError, mask_url

logger = logging.getLogger(__name__)

_STOP = object()  # queued after the last item: the worker writes what it has, then ends
LOOKUPS_PER_QUERY = 100  # questions answered by one query at most (3 x 100 parameters)


@dataclass
class BatchResult:
    """What one written batch did, for the crawl's stats."""
    inserted: int = 0
    updated: int = 0
    failed: int = 0
    batches: int = 0  # transactions committed with several items at once (0 or 1)
    retried: int = 0  # batches rolled back and written again item by item (0 or 1)
    failed_urls: list[str] = field(default_factory=list)


class StoreWriter:
    """A worker thread writing items to the store in batches. Thread-safe: `offer` and `close`
    may be called from any thread; `on_space` (the queue has room again) and `on_batch`
    (a BatchResult) are called on the worker thread."""

    def __init__(self, url: str, batch_size: int, batch_ms: float, queue_size: int,
                 on_space: Callable[[], None] | None = None,
                 on_batch: Callable[[BatchResult], None] | None = None) -> None:
        if batch_size < 1 or batch_ms < 0 or queue_size < 1:
            raise ValueError("batch_size and queue_size must be at least 1, batch_ms at least 0")
        self.url = url
        self.batch_size = batch_size
        self.batch_seconds = batch_ms / 1000
        # Room for a whole batch at least: a batch then fills by size instead of by time.
        self._queue: queue.Queue = queue.Queue(max(queue_size, batch_size))
        self.on_space = on_space or (lambda: None)
        self.on_batch = on_batch or (lambda result: None)
        # A daemon: a crawl that fails before its pipelines are closed must still be able to exit
        # (the pipeline also closes the writer when the engine stops, which flushes the queue).
        self._thread = threading.Thread(target=self._run, name="akhbar-store-writer", daemon=True)
        self._stopped = False  # the stop mark was taken from the queue
        self._ready = threading.Event()
        self._open_error: BaseException | None = None
        self.stored_count: int | None = None  # articles in the store when the writer ended

    def start(self) -> None:
        """Start the thread and wait until its connection is open: StoreError if it cannot be."""
        self._thread.start()
        self._ready.wait()
        if self._open_error is not None:
            self._thread.join()
            raise self._open_error

    def offer(self, item: dict[str, Any]) -> bool:
        """Queue the item if there is room (True); False when the queue is full."""
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            return False
        return True

    def put(self, item: dict[str, Any], timeout: float | None = None) -> None:
        """Queue the item, waiting for room (blocks the calling thread: never the reactor's)."""
        self._queue.put(item, timeout=timeout)

    def close(self) -> None:
        """Write everything queued, close the connection, end the thread. Blocks until done."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    # --- the worker thread -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            store = ArticleStore.open(self.url)
        except BaseException as exc:  # noqa: BLE001 - handed to start(), which raises it
            self._open_error = exc if isinstance(exc, StoreError) else StoreError(
                f"cannot open {mask_url(self.url)}: {type(exc).__name__}: {exc}")
            self._ready.set()
            return
        self._ready.set()
        try:
            stopping = False
            while not stopping:
                batch, stopping = self._next_batch()
                self.on_space()
                if batch:
                    store, result = self._write(store, batch)
                    self.on_batch(result)
        except Exception:  # noqa: BLE001 - a bug, or the event loop gone: say so, loudly
            logger.exception("akhbar store: the writer stopped; items still queued are not stored")
            if not self._stopped:
                self._discard_queue()
        try:
            self.stored_count = store.count()
        except Exception:  # noqa: BLE001 - only for the log line
            pass
        finally:
            _close_quietly(store)

    def _reconnect(self, store: ArticleStore) -> ArticleStore:
        """A new connection in place of a lost one (the server restarted, the network broke);
        the old store when that fails too (the items are then counted as failed)."""
        logger.warning("akhbar store: the connection to %s was lost; connecting again", mask_url(self.url))
        try:
            fresh = ArticleStore.open(self.url, announce=False)
        except Exception as exc:  # noqa: BLE001 - tried again at the next batch
            logger.error("akhbar store: cannot connect again to %s: %s", mask_url(self.url), exc)
            return store
        _close_quietly(store)
        return fresh

    def _next_batch(self) -> tuple[list[dict], bool]:
        """Up to batch_size items, waiting at most batch_seconds after the first; and whether
        the stop mark came."""
        first = self._queue.get()
        if first is _STOP:
            self._stopped = True
            return [], True
        batch = [first]
        deadline = time.monotonic() + self.batch_seconds
        while len(batch) < self.batch_size:
            remaining = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                self._stopped = True
                return batch, True
            batch.append(item)
        return batch, False

    def _write(self, store: ArticleStore, batch: list[dict]) -> tuple[ArticleStore, BatchResult]:
        """The batch written; the store to use from now on (a new one if the connection was lost)."""
        result = BatchResult()
        if _connection_lost(store):
            store = self._reconnect(store)
        try:
            inserted = store.upsert_many(batch)
        except Exception as exc:  # noqa: BLE001 - rolled back: every item is written again alone
            result.retried = 1
            logger.warning("akhbar store: a batch of %d items failed (%s: %s); writing them one by one",
                           len(batch), type(exc).__name__, exc)
            if _connection_lost(store):
                store = self._reconnect(store)
            for item in batch:
                try:
                    was_inserted = store.upsert(item)
                except Exception as item_exc:  # noqa: BLE001 - one item must never stop the crawl
                    result.failed += 1
                    result.failed_urls.append(str(item.get("url")))
                    logger.error("akhbar store: cannot store %s: %s: %s",
                                 item.get("url"), type(item_exc).__name__, item_exc)
                else:
                    result.inserted += was_inserted
                    result.updated += not was_inserted
            return store, result
        result.batches = 1
        result.inserted = sum(inserted)
        result.updated = len(inserted) - result.inserted
        return store, result

    def _discard_queue(self) -> None:
        """After a fatal error: take items until the stop mark, so that close() and the callers
        waiting for room do not wait forever; each one is logged and counted as failed."""
        while (item := self._queue.get()) is not _STOP:
            logger.error("akhbar store: cannot store %s: the writer stopped", item.get("url"))
            try:
                self.on_space()
                self.on_batch(BatchResult(failed=1, failed_urls=[str(item.get("url"))]))
            except Exception:  # noqa: BLE001 - the callbacks' loop is gone: the log says it
                pass
        self._stopped = True


class StoreLookups:
    """Threads answering "is an article stored under one of these URLs?" on their own
    connections (opened on first use, again after an error). `ask(urls, done)` returns at once;
    `done(result)` is called on a worker thread with a bool, or with the exception the lookup
    raised."""

    def __init__(self, url: str, threads: int) -> None:
        if threads < 1:
            raise ValueError("at least one lookup thread")
        self.url = url
        self._requests: queue.Queue = queue.Queue()
        self._threads = [threading.Thread(target=self._run, name=f"akhbar-store-lookup-{i}", daemon=True)
                         for i in range(threads)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def ask(self, urls: list[str], done: Callable[[bool | BaseException], None]) -> None:
        self._requests.put((urls, done))

    def close(self, wait: bool = True) -> None:
        """Each thread answers what was asked before, closes its connection and ends."""
        for _ in self._threads:
            self._requests.put(_STOP)
        if wait:
            for thread in self._threads:
                if thread.is_alive():
                    thread.join()

    def _run(self) -> None:
        store: ArticleStore | None = None
        stopping = False
        try:
            while not stopping:
                questions, stopping = self._next_questions()
                if not questions:
                    continue
                try:
                    if store is None:
                        store = ArticleStore.open(self.url, announce=False)
                    found = store.stored_among([url for urls, _ in questions for url in urls])
                    answers: list[bool | BaseException] = [any(url in found for url in urls)
                                                           for urls, _ in questions]
                except Exception as exc:  # noqa: BLE001 - handed to the callers, which count it
                    answers = [exc] * len(questions)
                    if store is not None:  # a broken connection: the next lookup opens another
                        _close_quietly(store)
                        store = None
                for (_, done), answer in zip(questions, answers):
                    done(answer)
        finally:
            if store is not None:
                _close_quietly(store)

    def _next_questions(self) -> tuple[list, bool]:
        """The next question, and every other one already waiting (up to LOOKUPS_PER_QUERY);
        and whether a stop mark came."""
        request = self._requests.get()
        if request is _STOP:
            return [], True
        questions = [request]
        while len(questions) < LOOKUPS_PER_QUERY:
            try:
                request = self._requests.get_nowait()
            except queue.Empty:
                break
            if request is _STOP:
                return questions, True
            questions.append(request)
        return questions, False


def _connection_lost(store: ArticleStore) -> bool:
    """Whether the store's connection is closed for good (psycopg says so; SQLite's never is)."""
    return bool(getattr(store.connection, "closed", False)) or bool(getattr(store.connection, "broken", False))


def _close_quietly(store: ArticleStore) -> None:
    try:
        store.close()
    except Exception:  # noqa: BLE001 - already broken; nothing more to do with it
        pass
