"""Scrapy's downloader with per-domain concurrency enforced under the asyncio reactor.

Scrapy 2.14 to 2.19's ``Downloader._process_queue`` pops queued requests while the slot has free
transfer slots, but a popped request only counts as transferring once its download task
starts, and under the asyncio reactor (which this project uses) that task starts on a later
loop iteration. Every request queued for a domain is then sent at once:
CONCURRENT_REQUESTS_PER_DOMAIN=1 let 5 requests reach one slow loopback server together.
Here a request counts as transferring as soon as it leaves the slot's queue, so the limit
holds. (Scrapy's own ``_download`` adds it again, harmlessly: it is a set, and removes it when
the download ends.) The upstream bug and its reproduction: ``docs/upstream.md``.

The workaround replaces each slot's ``deque`` by a subclass. Should a Scrapy release give its
slots another kind of queue (or no ``transferring`` set), the workaround steps aside with one
warning and the downloader is Scrapy's own, rather than crash or break that queue.
"""

from __future__ import annotations

import logging
from collections import deque

from scrapy.core.downloader import Downloader, Slot

logger = logging.getLogger(__name__)


class _ReservingQueue(deque):
    """A slot queue whose popleft reserves the transfer slot of the request it hands out."""

    def __init__(self, slot: Slot) -> None:
        super().__init__()
        self.slot = slot

    def popleft(self):
        request, deferred = super().popleft()
        self.slot.transferring.add(request)
        return request, deferred


def _fits_the_workaround(slot) -> bool:
    """The slot is as Scrapy 2.14-2.19 makes it: a plain deque of (request, deferred) pairs and
    a set of the requests transferring."""
    return type(slot.queue) is deque and isinstance(getattr(slot, "transferring", None), set)


class PoliteDownloader(Downloader):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._reserving = True  # False once a slot did not fit the workaround: Scrapy's own from then on

    def _get_slot(self, request, spider=None):
        key, slot = super()._get_slot(request)
        if self._reserving and type(slot.queue) is not _ReservingQueue:
            if _fits_the_workaround(slot):
                pending, slot.queue = slot.queue, _ReservingQueue(slot)
                slot.queue.extend(pending)
            else:
                self._reserving = False
                logger.warning(
                    "akhbar.downloader.PoliteDownloader steps aside: this Scrapy's download slots hold a "
                    "%s queue and a %s transferring, not the collections.deque and set its workaround of "
                    "Scrapy 2.14-2.19's per-domain burst expects; CONCURRENT_REQUESTS_PER_DOMAIN is left "
                    "to Scrapy's own downloader (docs/upstream.md)",
                    type(slot.queue).__qualname__, type(getattr(slot, "transferring", None)).__qualname__)
        return key, slot
