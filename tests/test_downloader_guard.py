"""PoliteDownloader's workaround of Scrapy 2.14-2.19's per-domain burst steps aside, with one
warning, when a slot's queue is not the deque it expects (a future Scrapy): the downloader is then
Scrapy's own. In-process, on an asyncio loop, with a download handler standing in for the network."""

import asyncio
import logging

from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.utils.test import get_crawler

from akhbar.downloader import PoliteDownloader, _ReservingQueue

LIMIT = 1
REQUESTS = 5
DOWNLOAD_SECONDS = 0.02
# No real download handler is made: _Handlers stands in for them.
SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": LIMIT, "DOWNLOAD_DELAY": 0,
            "DOWNLOAD_HANDLERS": {"http": None, "https": None}}


class _ListQueue:
    """What a future Scrapy might queue a slot's requests in: not a deque (nor a subclass)."""

    def __init__(self, items=()):
        self.items = list(items)

    def append(self, item):
        self.items.append(item)

    def popleft(self):
        return self.items.pop(0)

    def __len__(self):
        return len(self.items)


class _FutureScrapyDownloader(Downloader):
    """Scrapy's downloader, its slots holding a _ListQueue."""

    def _get_slot(self, request, spider=None):
        key, slot = super()._get_slot(request)
        if not isinstance(slot.queue, _ListQueue):
            slot.queue = _ListQueue(slot.queue)
        return key, slot


class _PoliteOnFutureScrapy(PoliteDownloader, _FutureScrapyDownloader):
    """PoliteDownloader run on that future Scrapy."""


class _Handlers:
    """Answers each download after DOWNLOAD_SECONDS; counts the downloads in flight per host."""

    def __init__(self):
        self.current, self.peak, self.served = {}, {}, 0

    async def download_request_async(self, request):
        host = request.url.split("/")[2]
        self.current[host] = self.current.get(host, 0) + 1
        self.peak[host] = max(self.peak.get(host, 0), self.current[host])
        await asyncio.sleep(DOWNLOAD_SECONDS)
        self.current[host] -= 1
        self.served += 1
        return request.url


def _download_all(downloader_class, hosts=("a.example",)):
    """Queue REQUESTS requests per host at once; (downloader, handlers, results)."""

    async def run():
        crawler = get_crawler(settings_dict=SETTINGS)
        downloader = downloader_class(crawler)
        downloader.handlers = _Handlers()
        try:
            results = await asyncio.gather(*(
                downloader._enqueue_request(Request(f"https://{host}/{n}"))
                for host in hosts for n in range(REQUESTS)))
        finally:
            downloader.close()
        return downloader, downloader.handlers, results

    return asyncio.run(run())


def _step_aside_warnings(caplog):
    return [r for r in caplog.records if r.name == "akhbar.downloader" and "steps aside" in r.getMessage()]


def test_on_scrapys_own_slots_the_limit_holds(caplog):
    downloader, handlers, results = _download_all(PoliteDownloader)
    assert len(results) == REQUESTS
    assert handlers.peak == {"a.example": LIMIT}
    assert isinstance(downloader.slots["a.example"].queue, _ReservingQueue)
    assert not _step_aside_warnings(caplog)


def test_a_slot_queue_of_another_type_makes_it_step_aside_with_one_warning(caplog):
    caplog.set_level(logging.WARNING, logger="akhbar.downloader")
    hosts = ("a.example", "b.example")
    downloader, handlers, results = _download_all(_PoliteOnFutureScrapy, hosts)
    # no crash: every request downloaded, each answer to its own request
    assert sorted(results) == sorted(f"https://{h}/{n}" for h in hosts for n in range(REQUESTS))
    # the slots are as that Scrapy made them
    assert all(type(slot.queue) is _ListQueue for slot in downloader.slots.values())
    warnings = _step_aside_warnings(caplog)
    assert len(warnings) == 1  # once, for all slots and requests
    assert "_ListQueue" in warnings[0].getMessage()
    # and the downloads went as with that Scrapy's own downloader
    _, own, _ = _download_all(_FutureScrapyDownloader, hosts)
    assert handlers.peak == own.peak


def test_a_slot_without_a_transferring_set_makes_it_step_aside(caplog):
    class NoTransferringSet(PoliteDownloader):
        def _get_slot(self, request, spider=None):
            key, slot = Downloader._get_slot(self, request)
            slot.transferring = list(slot.transferring)  # what the workaround cannot add to
            return super()._get_slot(request)

    caplog.set_level(logging.WARNING, logger="akhbar.downloader")
    crawler = get_crawler(settings_dict=SETTINGS)

    async def slot_queue_type():
        downloader = NoTransferringSet(crawler)
        try:
            return type(downloader._get_slot(Request("https://a.example/1"))[1].queue)
        finally:
            downloader.close()

    assert asyncio.run(slot_queue_type()) is not _ReservingQueue
    assert len(_step_aside_warnings(caplog)) == 1
