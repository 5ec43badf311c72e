"""Scrapy's downloader with per-domain concurrency enforced under the asyncio reactor.

Scrapy 2.19's ``Downloader._process_queue`` pops queued requests while the slot has free
transfer slots, but a popped request only counts as transferring once its download task
starts, and under the asyncio reactor (which this project uses) that task starts on a later
loop iteration. Every request queued for a domain is then sent at once:
CONCURRENT_REQUESTS_PER_DOMAIN=1 let 5 requests reach one slow loopback server together.
Here a request counts as transferring as soon as it leaves the slot's queue, so the limit
holds. (Scrapy's own ``_download`` adds it again, harmlessly: it is a set, and removes it when
the download ends.)
"""

from __future__ import annotations

from collections import deque

from scrapy.core.downloader import Downloader, Slot


class _ReservingQueue(deque):
    """A slot queue whose popleft reserves the transfer slot of the request it hands out."""

    def __init__(self, slot: Slot) -> None:
        super().__init__()
        self.slot = slot

    def popleft(self):
        request, deferred = super().popleft()
        self.slot.transferring.add(request)
        return request, deferred


class PoliteDownloader(Downloader):
    def _get_slot(self, request, spider=None):
        key, slot = super()._get_slot(request)
        if not isinstance(slot.queue, _ReservingQueue):
            pending, slot.queue = slot.queue, _ReservingQueue(slot)
            slot.queue.extend(pending)
        return key, slot
