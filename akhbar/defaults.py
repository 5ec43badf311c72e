"""akhbar's default settings: every akhbar setting, and the Scrapy settings akhbar relies on.

The add-on (`ADDONS = {"akhbar.Addon": 100}`, akhbar/addon.py) applies them at Scrapy's
"addon" priority, so a project's own settings.py, a spider's custom_settings, `-s NAME=value`
and Scrapyd's `setting=NAME=value` all win over them. Component dictionaries (ITEM_PIPELINES,
DOWNLOADER_MIDDLEWARES, EXTENSIONS, FEED_EXPORTERS) are merged entry by entry: a project keeps
its own components beside akhbar's and can switch one of akhbar's off with `None`.
"""

import os

from akhbar.items import FIELDS as _ITEM_FIELDS

# Scrapy's spider loader, checking every spider's selectors as it loads them (akhbar/spiderloader.py).
SPIDER_LOADER_CLASS = "akhbar.spiderloader.SpiderLoader"

# --- Politeness: on by default, documented in the README -----------------------------
ROBOTSTXT_OBEY = True
AKHBAR_CONTACT = os.environ.get("AKHBAR_CONTACT", "https://github.com/akhbar-news/akhbar")
USER_AGENT = f"akhbar/0.1 (+{AKHBAR_CONTACT})"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy's downloader, with the per-domain limit enforced under the asyncio reactor (see there).
DOWNLOADER = "akhbar.downloader.PoliteDownloader"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
# A page over 20 MB is not an article: cancelled (counted by Scrapy) rather than parsed.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

# --- Discovery limits: a hostile or broken feed / sitemap costs no more than this ----------
# A gzip sitemap or feed is decompressed within DOWNLOAD_MAXSIZE too (akhbar/discovery/too_large)
# and warned about over DOWNLOAD_WARNSIZE; XML that declares entities is never read.
# Sitemap indexes are followed at most this many levels below the first document (an index of
# sitemaps is 1; the protocol allows no deeper, some sites nest yearly and monthly indexes).
AKHBAR_SITEMAP_MAX_DEPTH = 3
# Entries read per sitemap, sitemap index or robots.txt: the sitemap protocol's own maximum.
AKHBAR_SITEMAP_MAX_URLS = 50_000

# --- Pipelines: normalise -> validate -> de-duplicate ------------------------------
ITEM_PIPELINES = {
    "akhbar.pipelines.NormalizePipeline": 100,
    "akhbar.pipelines.ValidatePipeline": 200,
    "akhbar.pipelines.DeduplicatePipeline": 300,
    "akhbar.store_pipeline.StorePipeline": 400,
    # Spidermon's JSON Schema check of every delivered item (counted, never dropped: see Monitoring).
    "spidermon.contrib.scrapy.pipelines.ItemValidationPipeline": 350,
}

# --- Database: every item also stored (akhbar/storage.py) ---------------------------
# AKHBAR_DATABASE_URL: sqlite:///path (relative to the crawl's cwd) or
# postgresql://user@host:port/db (password in the URL, or in PGPASSWORD / ~/.pgpass; logs mask it).
# Pass credentials through the environment, never with -s or Scrapyd's setting= (job arguments are visible).
AKHBAR_DATABASE_URL = os.environ.get("AKHBAR_DATABASE_URL") or "sqlite:///output/akhbar.sqlite3"
AKHBAR_STORE_ENABLED = True
# Writes are made by a worker thread, off the reactor (akhbar/store_pipeline.py): one transaction
# per BATCH_SIZE items or per BATCH_MS milliseconds after a batch's first item, whichever comes
# first. QUEUE_SIZE items at most wait for the writer: when they are that many, the pipeline waits
# (the crawl slows down) instead of holding more in memory. A crawl killed with kill -9 loses at
# most these queued and uncommitted items; the next crawl downloads them again.
AKHBAR_STORE_BATCH_SIZE = 50
AKHBAR_STORE_BATCH_MS = 500
AKHBAR_STORE_QUEUE_SIZE = 200
# Threads looking up already-stored articles (akhbar/incremental.py), each with a connection.
AKHBAR_STORE_LOOKUP_THREADS = 4

# --- Offline replay of recorded pages (see akhbar/replay.py) ------------------------
# AKHBAR_REPLAY: path of a replay manifest (TSV). Unset: the network is used as usual.
AKHBAR_REPLAY = os.environ.get("AKHBAR_REPLAY") or None
# Where `corpus:` entries of a manifest are read from (the shared corpus of real pages).
AKHBAR_CORPUS_DIR = os.environ.get("AKHBAR_CORPUS_DIR") or None  # None: ../shared/corpus
DOWNLOADER_MIDDLEWARES = {
    # Before the replay: an article already stored is neither replayed nor downloaded.
    "akhbar.incremental.SkipStoredMiddleware": 40,
    # Before every built-in middleware, so a replayed page never reaches the network.
    "akhbar.replay.ReplayMiddleware": 50,
    # Outermost: a request that got no response (failed for good, ignored) counts as answered for
    # its backfill day, when no retry took it over (akhbar/progress.py).
    "akhbar.progress.BackfillDays": 5,
}
# A request found on a backfill day's pages belongs to that day (akhbar/progress.py); outermost.
SPIDER_MIDDLEWARES = {
    "akhbar.progress.BackfillDays": 10,
}

# --- JavaScript rendering of article pages (see akhbar/rendering.py) --------------
# Off unless a spider declares render_javascript / render_url or the crawl says -a render=1|REGEX;
# only then is scrapy-playwright installed as the http(s) download handler.
# AKHBAR_CHROMIUM: the system Chromium (Debian package `chromium`), never a Playwright download.
AKHBAR_CHROMIUM = os.environ.get("AKHBAR_CHROMIUM") or "/usr/bin/chromium"
# --no-sandbox: Chromium runs as root in containers; the rest keep it off Google's services.
AKHBAR_CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
# Spiders with render_wait_for: how long (seconds) a rendered page may take to show that element.
AKHBAR_RENDER_WAIT = 10

# --- Stats to a file, for schedulers and tests (see akhbar/extensions.py) -----------
# AKHBAR_STATS_FILE: write the final crawl stats there as JSON. Unset: not written.
AKHBAR_STATS_FILE = None
EXTENSIONS = {
    "akhbar.extensions.StatsFile": 500,
    # Field coverage judged at the end (akhbar/coverage.py); before StatsFile, which writes it.
    "akhbar.coverage.FieldCoverage": 400,
    # Spidermon's monitors at the end of the crawl (akhbar/monitors.py): after the coverage judged,
    # before StatsFile and CrawlRecord, which write their verdict (akhbar/monitors/...).
    "akhbar.monitors.Monitoring": 450,
    # JOBDIR: a crawl killed with kill -9 restarts cleanly (akhbar/incremental.py).
    "akhbar.incremental.JobdirCrashRecovery": 0,
    # One row per crawl in the store's crawls table (finish reason, stats), for `scrapy report`
    # (akhbar/crawl_record.py); after the extensions that set the finish reason. Off with the store.
    "akhbar.crawl_record.CrawlRecord": 600,
    # One summary line at the end, and the finish reason nothing_fetched when nothing answered
    # (akhbar/summary.py); after the extensions that judge the crawl, before StatsFile.
    "akhbar.summary.CrawlSummary": 460,
    # A progress line every AKHBAR_PROGRESS_INTERVAL seconds (akhbar/progress.py).
    "akhbar.progress.ProgressLog": 100,
    # A robots.txt that cannot be downloaded: one WARNING line, not an ERROR with a traceback.
    "akhbar.extensions.RobotsTxtErrors": 100,
}
# Seconds between two progress lines (days done of a backfill, articles, drops, pages/min, time
# left); the first comes one interval after the start, so a shorter crawl prints none. 0: none.
AKHBAR_PROGRESS_INTERVAL = 60.0

# --- Layout drift: field coverage of article pages, judged at the end (akhbar/coverage.py) ---
# Share of article pages (items a spider yielded, kept or dropped) with each field non-empty: in
# the stats (akhbar/coverage/<field>) and the log. Under its minimum after at least MIN_PAGES pages:
# an ERROR, and the crawl finishes with reason "layout_changed". A spider overrides the minimums
# with custom_settings or a `coverage_min` attribute (merged over this dict; None: not judged).
AKHBAR_COVERAGE_ENABLED = True
AKHBAR_COVERAGE_FIELDS = ["headline", "body", "published_at", "authors", "agencies", "related"]
AKHBAR_COVERAGE_MIN = {"headline": 0.95, "body": 0.95, "published_at": 0.8}
AKHBAR_COVERAGE_MIN_PAGES = 20
# Share of article pages on which a field the spider declares selectors for came from a fallback
# (metadata or the class-independent reading: akhbar/fallback/<field>) above which the spider's
# selectors are judged stale: the items are kept, an ERROR names the fields to repair, and the
# crawl finishes with reason "layout_changed". Judged after MIN_PAGES pages too.
AKHBAR_FALLBACK_MAX = {"headline": 0.5, "body": 0.5}
# Minimum share for every field a spider declares selectors for (and has no minimum above):
# None = those fields are reported in the table and stats, not judged.
AKHBAR_COVERAGE_DECLARED_MIN = None

# --- Monitoring and alerts: Spidermon, at the end of every crawl (akhbar/monitors.py) ------
# Monitors: field coverage and fallbacks (the two settings above, one definition), item validation
# against akhbar/data/item.schema.json, errors, finish reason, pages fetched. Verdict in the log
# and the stats (akhbar/monitors/passed, akhbar/monitors/failed, akhbar/monitors/failed/<monitor>).
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["akhbar.monitors.CrawlMonitors"]
SPIDERMON_VALIDATION_SCHEMAS = ["akhbar.monitors.ITEM_SCHEMA"]  # akhbar/data/item.schema.json, as package data
SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS = False  # invalid items are kept, counted and reported
SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0
SPIDERMON_MAX_ERRORS = 0
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
# Spidermon's field coverage of the delivered items (spidermon_field_coverage/Article/<field>):
# None and empty values count as missing, as in akhbar/coverage/<field>. Extra rules on them
# (e.g. {"Article/images/caption": 0.5} with SPIDERMON_LIST_FIELDS_COVERAGE_LEVELS = 1) go into
# SPIDERMON_FIELD_COVERAGE_RULES; the per-spider minimums are AKHBAR_COVERAGE_MIN's.
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True
SPIDERMON_FIELD_COVERAGE_RULES = {}
# Notifications through Spidermon's actions, only when configured. AKHBAR_NOTIFY: channels,
# "telegram", "slack", "email" (SMTP) or the import path of a Spidermon Action; the environment
# variable AKHBAR_NOTIFY takes them comma-separated. Sent when a monitor failed; after every crawl
# with AKHBAR_NOTIFY_ALWAYS. Each channel reads Spidermon's settings; secrets and addressees come
# from environment variables of the same names (never -s: job arguments are visible):
#   telegram: SPIDERMON_TELEGRAM_SENDER_TOKEN, SPIDERMON_TELEGRAM_RECIPIENTS (chat ids, comma-separated)
#   slack:    SPIDERMON_SLACK_SENDER_TOKEN, SPIDERMON_SLACK_SENDER_NAME, SPIDERMON_SLACK_RECIPIENTS
#   email:    SPIDERMON_SMTP_HOST, SPIDERMON_SMTP_PORT, SPIDERMON_SMTP_USER, SPIDERMON_SMTP_PASSWORD,
#             SPIDERMON_EMAIL_SENDER, SPIDERMON_EMAIL_TO
AKHBAR_NOTIFY = [name.strip() for name in os.environ.get("AKHBAR_NOTIFY", "").split(",") if name.strip()]
AKHBAR_NOTIFY_ALWAYS = False
SPIDERMON_TELEGRAM_SENDER_TOKEN = os.environ.get("SPIDERMON_TELEGRAM_SENDER_TOKEN") or None
SPIDERMON_TELEGRAM_RECIPIENTS = os.environ.get("SPIDERMON_TELEGRAM_RECIPIENTS") or []
SPIDERMON_SLACK_SENDER_TOKEN = os.environ.get("SPIDERMON_SLACK_SENDER_TOKEN") or None
SPIDERMON_SLACK_SENDER_NAME = os.environ.get("SPIDERMON_SLACK_SENDER_NAME") or "akhbar"
SPIDERMON_SLACK_RECIPIENTS = os.environ.get("SPIDERMON_SLACK_RECIPIENTS") or []
SPIDERMON_SMTP_HOST = os.environ.get("SPIDERMON_SMTP_HOST") or None
SPIDERMON_SMTP_PORT = int(os.environ.get("SPIDERMON_SMTP_PORT") or 587)
SPIDERMON_SMTP_USER = os.environ.get("SPIDERMON_SMTP_USER") or None
SPIDERMON_SMTP_PASSWORD = os.environ.get("SPIDERMON_SMTP_PASSWORD") or None
SPIDERMON_EMAIL_SENDER = os.environ.get("SPIDERMON_EMAIL_SENDER") or None
SPIDERMON_EMAIL_TO = os.environ.get("SPIDERMON_EMAIL_TO") or []
SPIDERMON_EMAIL_SUBJECT = "akhbar: monitors of the {{ data.spider.name }} crawl"

# --- Incremental crawling (akhbar/incremental.py) ----------------------------------
# Article requests whose URL is already in the store are dropped before the download
# (stat akhbar/skipped/already_stored); `-a refresh=1` downloads them again.

# --- Several workers, one frontier: scrapy-redis (akhbar/frontier.py) --------------
# AKHBAR_REDIS_URL: redis://host:port/db. Set (env or -s): shared queue + duplicate filter in
# Redis (SCHEDULER_PERSIST on; reset with `scrapy frontier <spider> --reset`). Unset: local.
AKHBAR_REDIS_URL = os.environ.get("AKHBAR_REDIS_URL") or None
AKHBAR_REDIS_KEY_PREFIX = "akhbar"  # keys <prefix>:<spider>:requests / :dupefilter / :active
AKHBAR_REDIS_IDLE_CLOSE = 30.0  # a worker exits once no worker got a response for this long

# --- Feeds: JSON Lines with readable Arabic, CSV that Excel opens right -------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(_ITEM_FIELDS)
FEED_EXPORTERS = {
    "csv": "akhbar.exporters.ExcelCsvItemExporter",
}

# --- Scrapy defaults pinned so behaviour does not move with Scrapy releases ---------
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
