"""`scrapy frontier SPIDER [--reset]`: the shared Redis frontier of a spider (akhbar/frontier.py).

Without --reset: prints the number of queued requests and of seen fingerprints. With --reset:
deletes the spider's queue, duplicate filter and activity key, so the next crawl starts afresh
(reads the feeds again). Run it once every worker of the crawl has exited. The Redis URL and key
prefix are the crawl's: AKHBAR_REDIS_URL (env or -s) and AKHBAR_REDIS_KEY_PREFIX.
"""

from __future__ import annotations

import sys

from akhbar.cli import ProjectCommand
from scrapy.exceptions import UsageError

from akhbar.frontier import frontier_keys


class Command(ProjectCommand):

    def syntax(self) -> str:
        return "SPIDER [--reset]"

    def short_desc(self) -> str:
        return "Show (or --reset) a spider's shared Redis frontier (AKHBAR_REDIS_URL)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--reset", action="store_true",
                            help="delete the queue and the duplicate filter (every worker stopped)")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("name one spider")
        url = self.settings.get("AKHBAR_REDIS_URL")
        if not url:
            raise UsageError("AKHBAR_REDIS_URL is not set (env or -s AKHBAR_REDIS_URL=redis://...)")
        import redis

        server = redis.Redis.from_url(url, socket_connect_timeout=15, socket_timeout=30)
        keys = frontier_keys(self.settings.get("AKHBAR_REDIS_KEY_PREFIX") or "akhbar", args[0])
        queued = _size(server, keys["requests"])
        seen = server.scard(keys["dupefilter"]) if server.exists(keys["dupefilter"]) else 0
        sys.stdout.write(f"{keys['requests']}: {queued} queued requests\n"
                         f"{keys['dupefilter']}: {seen} seen fingerprints\n")
        if opts.reset:
            server.delete(*keys.values())
            sys.stdout.write("reset: the next crawl starts from the discovery sources\n")


def _size(server, key: str) -> int:
    kind = server.type(key)
    kind = kind.decode() if isinstance(kind, bytes) else kind
    return {"zset": server.zcard, "list": server.llen}.get(kind, lambda _key: 0)(key)
