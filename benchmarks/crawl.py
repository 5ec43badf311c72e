"""Crawl throughput and memory: `scrapy crawl` over a loopback replay site vs `scrapy bench`.

    python benchmarks/crawl.py            # 1,000 and 10,000 pages: with and without the store, and
                                          # with the request queue on disk (JOBDIR)
    python benchmarks/crawl.py --quick    # 200 pages, without the store (memory and disk queue), short scrapy bench (CI)
    python benchmarks/crawl.py --latency-only --label after   # only the PostgreSQL latency run (below)

The site is a real HTTP server on 127.0.0.1 (a small asyncio server in a subprocess, so Scrapy's
whole download path is measured: connection pool, HTTP/1.1 parsing, decompression and retry
middlewares, the scheduler): real Youm7 article pages (the shared corpus's and the project's own,
byte for byte but for two rewrites) served under generated story URLs
``/story/2025/M/D/bench-I/9200000+I``, and one RSS feed listing them all. The rewrites: the
outlet's host becomes the server's (so related lists are found as on the real site, and the
related finder does its real work), and each page's own canonical address becomes its generated
URL (so each is a distinct article, not a duplicate).

The crawl is `scrapy crawl bench` (``benchmarks/bench_spider.py``: the Youm7 spider with
``127.0.0.1`` as its domain and the feed as its only source), in its own process, with the
project's settings except these benchmark settings (documented, not defaults):
``ROBOTSTXT_OBEY=False`` (no robots.txt on the site), ``AUTOTHROTTLE_ENABLED=False`` (it would
measure its own delays), ``CONCURRENT_REQUESTS_PER_DOMAIN=8`` (Scrapy's default; the project's 4
is politeness towards real sites), ``-a follow=0`` (story links point at stories the site does
not serve; link following is measured in speed.py), and the store either in a fresh SQLite file
(``AKHBAR_DATABASE_URL``: the store pipeline and the already-stored check run as in production)
or off (``AKHBAR_STORE_ENABLED=False``); and, store off, with Scrapy's request queue in memory (its
default) or on disk (``JOBDIR`` in a fresh directory). The feed lists every page, so every article
request is queued at the start: in memory that queue, not the pages crawled, is what makes the
peak RSS grow most with the site's size (about 3.5 KB per queued request); on disk it grows far less.

`scrapy bench` (Scrapy's own link-following crawl of its local server, no extraction) runs on
the same machine in the same run, outside the project (Scrapy's defaults). Rates: items per
minute of the crawl (items stored / the crawl's ``elapsed_time_seconds``) against pages per
minute of scrapy bench (responses / its elapsed time). Peak RSS: ``ru_maxrss`` of the crawl
process (a launcher process runs only the crawl and reads ``RUSAGE_CHILDREN``).

**PostgreSQL behind a slow network** (``--latency-ms``, default 20; skipped without a server:
``--postgres URL``, else ``AKHBAR_TEST_POSTGRES_URL``, which ``eval "$(bash scripts/postgres.sh
start)"`` sets): a loopback TCP proxy (a small asyncio program in a subprocess) stands in front of
the server and holds every chunk of bytes half the latency in each direction, so each round-trip
to the database costs 20 ms more, as to a server on another machine. The same replay site is
crawled twice in the same run: store off, then store on (a fresh PostgreSQL schema reached through
the proxy), and the ratio of their items per minute is what the storage design costs. Results go
to ``benchmarks/results/crawl-postgres-latency-<date>.md`` (and ``.json``) under ``--label``, so
two runs on two versions of the code (``--label before``, ``--label after``) land in one table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
OWN_PAGES = ROOT / "tests" / "pages" / "www.youm7.com"
SHARED = Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")
CORPUS_PAGES = SHARED / "corpus" / "www.youm7.com"
PLACEHOLDER = b"\x00AKHBAR-BENCH-URL\x00"
FIRST_ID = 9200000


# --- the site ----------------------------------------------------------------------------------
def article_path(i: int) -> str:
    return f"/story/2025/{1 + i % 12}/{1 + i % 28}/bench-{i}/{FIRST_ID + i}"


def templates(base: str) -> list[bytes]:
    """Every Youm7 page with an expected item: the host rewritten, its own address a placeholder."""
    import lxml.html

    pages = sorted(OWN_PAGES.glob("*.html")) + sorted(CORPUS_PAGES.glob("*.html"))
    out = []
    for page in pages:
        html = page.read_bytes()
        root = lxml.html.fromstring(html.decode("utf-8"))  # Youm7 pages are UTF-8 (one declares no charset)
        own = {v.strip() for v in root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
               if v.strip()}
        for address in sorted(own, key=len, reverse=True):
            html = html.replace(address.encode("utf-8"), PLACEHOLDER)
        for host in (b"https://www.youm7.com", b"http://www.youm7.com", b"//www.youm7.com"):
            html = html.replace(host, base.encode())
        out.append(html)  # a page without its own address is told apart by its URL
    return out


def feed(base: str, n: int) -> bytes:
    items = "\n".join(f"<item><title>bench {i}</title><link>{escape(base + article_path(i))}</link></item>"
                      for i in range(n))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>bench</title>\n'
            f"{items}\n</channel></rss>\n").encode()


async def serve(n: int) -> None:
    """HTTP/1.1 with keep-alive on 127.0.0.1; prints its port, serves until killed."""
    pages: list[bytes] = []
    feed_body = b""
    story = re.compile(rb"^/story/\d{4}/\d{1,2}/\d{1,2}/[^/]+/(\d+)$")

    def answer(path: bytes) -> tuple[bytes, bytes, bytes]:
        if path == b"/feed.xml":
            return b"200 OK", b"application/rss+xml; charset=utf-8", feed_body
        m = story.match(path)
        if m and 0 <= int(m[1]) - FIRST_ID < n:
            i = int(m[1]) - FIRST_ID
            return b"200 OK", b"text/html; charset=utf-8", pages[i % len(pages)].replace(
                PLACEHOLDER, (base + article_path(i)).encode())
        return b"404 Not Found", b"text/plain", b"not found"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].split(b"?", 1)[0]
                status, kind, body = answer(path)
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind
                             + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
                if b"connection: close" in head.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    pages = templates(base)
    feed_body = feed(base, n)
    print(port, len(pages), flush=True)
    async with server:
        await server.serve_forever()


class Site:
    def __init__(self, n: int) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", str(n)], stdout=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline().split()
        if len(line) != 2 or line[1] == "0":
            self.close()
            raise SystemExit(f"the replay site did not start (no Youm7 pages found?): {line}")
        self.port, self.templates = int(line[0]), int(line[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# --- the runs ----------------------------------------------------------------------------------
LAUNCHER = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
            "print('maxrss_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
            "sys.exit(code)")


def crawl(site: Site, n: int, store: bool, work: Path, disk_queue: bool = False,
          database_url: str | None = None) -> dict:
    stats_file = work / f"stats-{n}-{store}-{disk_queue}-{bool(database_url)}.json"
    command = [sys.executable, "-m", "scrapy", "crawl", "bench", "-a", f"base={site.base}", "-a", "follow=0",
               "-s", "SPIDER_MODULES=bench_spider", "-s", "ROBOTSTXT_OBEY=False",
               "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
               "-s", f"AKHBAR_STATS_FILE={stats_file}", "-s", "LOG_LEVEL=INFO"]
    if store:
        command += ["-s", f"AKHBAR_DATABASE_URL={database_url or f'sqlite:///{work}/bench-{n}.sqlite3'}"]
    else:
        command += ["-s", "AKHBAR_STORE_ENABLED=False"]
    if disk_queue:
        command += ["-s", f"JOBDIR={work}/job-{n}-{store}"]
    env = {k: v for k, v in os.environ.items()
           if k not in ("AKHBAR_DATABASE_URL", "AKHBAR_REDIS_URL", "AKHBAR_REPLAY", "SCRAPY_SETTINGS_MODULE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0 or not stats_file.is_file():
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"scrapy crawl bench failed ({done.returncode})")
    stats = json.loads(stats_file.read_text())
    rss = int(re.findall(r"maxrss_kb (\d+)", done.stderr)[-1]) / 1024
    items = stats.get("item_scraped_count", 0)
    elapsed = float(stats.get("elapsed_time_seconds") or wall)
    return {"pages": n, "store": store, "queue": "disk" if disk_queue else "memory", "items": items,
            "elapsed_s": round(elapsed, 2), "wall_s": round(wall, 2),
            "items_per_min": items / elapsed * 60, "peak_rss_mb": round(rss, 1),
            "responses": stats.get("response_received_count"),
            "dropped": {k: v for k, v in stats.items() if k.startswith("akhbar/dropped/")}}


def scrapy_bench(seconds: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")}
    with tempfile.TemporaryDirectory() as outside:  # no scrapy.cfg: Scrapy's own defaults
        done = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
                              cwd=outside, env=env, capture_output=True, text=True)
    log = done.stderr
    responses = re.findall(r"'response_received_count': (\d+)", log)
    elapsed = re.findall(r"'elapsed_time_seconds': ([\d.]+)", log)
    if done.returncode != 0 or not responses or not elapsed:
        sys.stderr.write(log[-4000:])
        raise SystemExit("scrapy bench failed")
    return {"responses": int(responses[-1]), "elapsed_s": float(elapsed[-1]),
            "pages_per_min": int(responses[-1]) / float(elapsed[-1]) * 60}


# --- PostgreSQL behind a slow network -----------------------------------------------------------
PROXY_CHUNK = 65536


async def proxy(target_host: str, target_port: int, latency_ms: float) -> None:
    """TCP proxy on 127.0.0.1: every chunk reaches the other side latency_ms / 2 after it arrived,
    in order, in both directions (a round-trip costs latency_ms more). Prints its port."""
    loop = asyncio.get_running_loop()
    one_way = latency_ms / 2000

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pending: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await pending.get()
                if data is None:
                    break
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()

        delivering = asyncio.create_task(deliver())
        try:
            while data := await reader.read(PROXY_CHUNK):
                pending.put_nowait((loop.time() + one_way, data))
        except ConnectionError:
            pass
        pending.put_nowait((0.0, None))
        try:
            await delivering
            writer.close()
        except ConnectionError:
            pass

    async def handle(client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


class LatencyProxy:
    def __init__(self, host: str, port: int, latency_ms: float) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--proxy", f"{host}:{port}:{latency_ms}"],
                                        stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def latency_runs(postgres_url: str, latency_ms: float, n: int, work: Path) -> list[dict]:
    """Store off, then store on in a fresh schema behind the proxy, over one replay site."""
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(postgres_url)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    proxy_server = LatencyProxy(parts.hostname or "127.0.0.1", parts.port or 5432, latency_ms)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@127.0.0.1:{proxy_server.port}" if userinfo else f"127.0.0.1:{proxy_server.port}"
    query = "&".join(filter(None, [parts.query, f"options=-csearch_path%3D{schema}"]))
    slow_url = urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    site = Site(n)
    runs = []
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            for store in (False, True):
                result = crawl(site, n, store, work, database_url=slow_url if store else None)
                result.update(templates=site.templates, latency_ms=latency_ms,
                              backend="PostgreSQL" if store else "off")
                runs.append(result)
                print(f"  {n} pages, PostgreSQL +{latency_ms:g} ms, store {'on' if store else 'off'}: "
                      f"{result['items']} items, {result['items_per_min']:.0f}/min", flush=True)
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
            site.close()
            proxy_server.close()
    return runs


def latency_table(entries: dict) -> str:
    lines = ["| code | pages | latency | store off items/min | store on items/min | on / off | elapsed s (off, on) |",
             "|---|---|---|---|---|---|---|"]
    for label, entry in entries.items():
        off, on = entry["runs"]
        lines.append(f"| {label} ({entry['commit']}) | {off['pages']:,} | +{off['latency_ms']:g} ms "
                     f"| {off['items_per_min']:.0f} | {on['items_per_min']:.0f} "
                     f"| {on['items_per_min'] / off['items_per_min']:.2f}x "
                     f"| {off['elapsed_s']:.1f}, {on['elapsed_s']:.1f} |")
    return "\n".join(lines)


def write_latency_results(out: Path, label: str, runs: list[dict]) -> str:
    """Adds this run under its label to today's latency results (.json) and rewrites the table (.md)."""
    import scrapy

    today = datetime.now(timezone.utc).date().isoformat()
    json_path = out / f"crawl-postgres-latency-{today}.json"
    data = json.loads(json_path.read_text()) if json_path.is_file() else {"date": today, "entries": {}}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "?"
    data["entries"][label] = {"commit": commit, "python": platform.python_version(),
                              "scrapy": scrapy.__version__, "cpus": os.cpu_count(), "runs": runs}
    out.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    text = (f"Crawl throughput with the store in PostgreSQL behind a loopback proxy adding latency to each "
            f"round-trip, against the store off, in the same run ({today}; Python {platform.python_version()}, "
            f"Scrapy {scrapy.__version__}, {os.cpu_count()} CPUs, shared machine; `code`: the --label of the run "
            f"and the commit it ran on, the working tree as it was)\n\n" + latency_table(data["entries"]))
    (out / f"crawl-postgres-latency-{today}.md").write_text(text + "\n", encoding="utf-8")
    return text


def table(bench: dict, runs: list[dict]) -> str:
    lines = [f"scrapy bench (Scrapy's defaults, its own link pages, no extraction): "
             f"{bench['pages_per_min']:.0f} pages/min ({bench['responses']} pages in {bench['elapsed_s']:.1f} s)",
             "",
             "| pages | store | queue | items | elapsed s | items/min | vs scrapy bench | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        queue = "disk (JOBDIR)" if r["queue"] == "disk" else "memory"
        lines.append(f"| {r['pages']:,} | {'SQLite' if r['store'] else 'off'} | {queue} | {r['items']:,} "
                     f"| {r['elapsed_s']:.1f} "
                     f"| {r['items_per_min']:.0f} | {r['items_per_min'] / bench['pages_per_min']:.2f}x "
                     f"| {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 pages, no store run, 3 s scrapy bench")
    parser.add_argument("--pages", type=int, nargs="*", help="site sizes (default 1000 10000)")
    parser.add_argument("--no-store-variant", action="store_true", help="no run with the store")
    parser.add_argument("--no-disk-queue-variant", action="store_true", help="no run with the queue on disk (JOBDIR)")
    parser.add_argument("--postgres", default=os.environ.get("AKHBAR_TEST_POSTGRES_URL"),
                        help="PostgreSQL server for the latency run (default: $AKHBAR_TEST_POSTGRES_URL)")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="added to each database round-trip")
    parser.add_argument("--latency-pages", type=int, default=1000, help="site size of the latency run")
    parser.add_argument("--latency-only", action="store_true", help="only the PostgreSQL latency run")
    parser.add_argument("--label", default="current", help="name of this run in the latency results")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--proxy", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return 0
    if args.proxy:
        host, port, latency = args.proxy.rsplit(":", 2)
        asyncio.run(proxy(host, int(port), float(latency)))
        return 0
    if args.latency_only:
        if not args.postgres:
            raise SystemExit("--latency-only needs a PostgreSQL server: --postgres URL or AKHBAR_TEST_POSTGRES_URL")
        with tempfile.TemporaryDirectory() as work:
            runs = latency_runs(args.postgres, args.latency_ms, args.latency_pages, Path(work))
        print(write_latency_results(args.out, args.label, runs))
        return 1 if any(r["items"] != r["pages"] for r in runs) else 0
    sizes = args.pages or ([200] if args.quick else [1000, 10000])
    variants = [(False, False)]  # (store, queue on disk)
    if not (args.quick or args.no_store_variant):
        variants.append((True, False))
    if not args.no_disk_queue_variant:
        variants.append((False, True))

    bench = scrapy_bench(3 if args.quick else 10)
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for n in sizes:
            site = Site(n)
            try:
                for store, disk_queue in variants:
                    result = crawl(site, n, store, Path(work), disk_queue)
                    result["templates"] = site.templates
                    runs.append(result)
                    print(f"  {n} pages, store {'on' if store else 'off'}, queue {result['queue']}: "
                          f"{result['items']} items, "
                          f"{result['items_per_min']:.0f}/min, peak RSS {result['peak_rss_mb']:.0f} MB", flush=True)
            finally:
                site.close()
        latency = []
        if not args.quick and args.postgres:
            latency = latency_runs(args.postgres, args.latency_ms, args.latency_pages, Path(work))
        elif not args.quick:
            print("no PostgreSQL latency run: no --postgres URL nor AKHBAR_TEST_POSTGRES_URL", file=sys.stderr)
    bench_after = scrapy_bench(3 if args.quick else 10)  # the machine is shared: before and after
    bench = {"responses": bench["responses"] + bench_after["responses"],
             "elapsed_s": bench["elapsed_s"] + bench_after["elapsed_s"],
             "runs": [bench, bench_after]}
    bench["pages_per_min"] = bench["responses"] / bench["elapsed_s"] * 60

    import scrapy

    today = datetime.now(timezone.utc).date().isoformat()
    header = (f"Crawl throughput over a loopback replay site ({today}; Python {platform.python_version()}, "
              f"Scrapy {scrapy.__version__}, {os.cpu_count()} CPUs, shared machine; scrapy bench run before "
              f"and after the crawls, pooled)")
    text = header + "\n\n" + table(bench, runs)
    print(text)
    missing = [r for r in runs if r["items"] != r["pages"]]
    for r in missing:
        print(f"warning: {r['pages']} pages gave {r['items']} items; dropped: {r['dropped']}", file=sys.stderr)
    if not args.quick:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"crawl-{today}.md").write_text(text + "\n", encoding="utf-8")
        (args.out / f"crawl-{today}.json").write_text(json.dumps(
            {"date": today, "scrapy_bench": bench, "runs": runs}, indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {args.out}/crawl-{today}.md, .json")
        if latency:
            print("\n" + write_latency_results(args.out, args.label, latency))
            missing += [r for r in latency if r["items"] != r["pages"]]
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
