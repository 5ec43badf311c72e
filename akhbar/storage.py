"""Storage of articles in a database: SQLite (default, stdlib) or PostgreSQL (psycopg 3).

One table per list field, so agencies, related links, authors ... are queryable with plain SQL:

    articles        id, key_url (canonical URL, else url: UNIQUE), every scalar field of the item,
                    first_stored_at, stored_at
    authors         article_id, position, name
    agencies        article_id, position, code
    body_paragraphs article_id, position, paragraph
    images          article_id, position, url, caption
    tags            article_id, position, tag
    related         article_id, position, block, title, url
    crawls          id, spider, started_at, finished_at, finish_reason, stats (JSON text): one
                    row per crawl (akhbar/crawl_record.py); store.crawls(limit) reads the last ones

`position` is the 0-based index in the item's list, so `ORDER BY position` gives the page order.
Dates stay ISO 8601 text as in the item (a bare date or a time with the outlet's own offset,
which a `timestamptz` would not keep).

    store = ArticleStore.open("sqlite:///output/akhbar.sqlite3")   # or postgresql://user@host/db
    store.upsert(item)       # True: inserted, False: an existing article was updated
    store.upsert_many(items) # the same for a batch, in one transaction (akhbar/store_writer.py)
    store.has(url)           # by url or canonical URL
    store.count()
    store.close()

Every statement is parameterised. The URL's password is never logged (`mask_url`); a
PostgreSQL password can also come from the environment (`PGPASSWORD`, `~/.pgpass`), as libpq reads it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from akhbar.items import FIELDS, LIST_FIELDS

logger = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///output/akhbar.sqlite3"
# 2: the crawls table (one row per crawl: its finish reason and stats), added to older stores on open.
SCHEMA_VERSION = 2

# Scalar fields of the item, stored as columns of `articles` (SCHEMA.md order).
SCALAR_FIELDS = tuple(name for name in FIELDS if name not in LIST_FIELDS)

# Child tables: item field -> (table, columns after article_id/position). A list of strings
# fills the single column; a list of dicts fills the columns of the same names.
CHILD_TABLES = {
    "authors": ("authors", ("name",)),
    "agencies": ("agencies", ("code",)),
    "body": ("body_paragraphs", ("paragraph",)),
    "images": ("images", ("url", "caption")),
    "tags": ("tags", ("tag",)),
    "related": ("related", ("block", "title", "url")),
}
_NOT_NULL = {"name", "code", "paragraph", "tag", "block", "title", "url"}


class StoreError(Exception):
    """The store cannot be opened, or an item cannot be stored."""


def mask_url(url: str) -> str:
    """The URL with its password (user:PASSWORD@, ?password=) replaced by ***, for logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable database URL>"
    netloc = parts.netloc
    if "@" not in netloc and "password" not in parts.query.lower():
        return url  # nothing to hide (and sqlite:////abs/path is kept as written)
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{hostport}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def article_key(item: Mapping[str, Any]) -> str:
    """What an article is upserted on: its canonical URL, else the URL it was fetched at."""
    key = item.get("canonical_url") or item.get("url")
    if not key:
        raise StoreError("item has neither canonical_url nor url")
    return key


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _ddl(id_column: str) -> list[str]:
    """CREATE statements, portable but for the surrogate key's column definition."""
    scalars = ",\n  ".join(f"{name} TEXT" for name in SCALAR_FIELDS)
    statements = [
        "CREATE TABLE IF NOT EXISTS akhbar_schema (version INTEGER NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS articles (
  id {id_column},
  key_url TEXT NOT NULL UNIQUE,
  {scalars},
  first_stored_at TEXT NOT NULL,
  stored_at TEXT NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS articles_url ON articles (url)",
        "CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles (canonical_url)",
        "CREATE INDEX IF NOT EXISTS articles_outlet_published ON articles (outlet, published_at)",
    ]
    for table, columns in CHILD_TABLES.values():
        cols = ",\n  ".join(f"{c} TEXT{' NOT NULL' if c in _NOT_NULL else ''}" for c in columns)
        statements.append(f"""CREATE TABLE IF NOT EXISTS {table} (
  article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  {cols},
  PRIMARY KEY (article_id, position)
)""")
    statements += [
        "CREATE INDEX IF NOT EXISTS agencies_code ON agencies (code)",
        "CREATE INDEX IF NOT EXISTS related_url ON related (url)",
        "CREATE INDEX IF NOT EXISTS tags_tag ON tags (tag)",
        # One row per crawl (akhbar/crawl_record.py): its stats as JSON text, for `scrapy report`.
        f"""CREATE TABLE IF NOT EXISTS crawls (
  id {id_column},
  spider TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT NOT NULL,
  finish_reason TEXT,
  stats TEXT NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS crawls_finished_at ON crawls (finished_at)",
    ]
    return statements


class ArticleStore:
    """Articles in a SQL database. Use `ArticleStore.open(url)`; one connection, one thread.

    The two backends share every statement; a backend only says how to connect, how a
    placeholder is written, how a transaction begins and how the surrogate key is declared.
    """

    backend = "?"
    id_column = ""

    def __init__(self, connection, url: str) -> None:
        self.connection = connection
        self.url = url
        self._create_schema()

    # --- opening ---------------------------------------------------------------------
    @staticmethod
    def open(url: str | None = None, announce: bool = True) -> "ArticleStore":
        """The store the URL names: `sqlite:///relative/path`, `sqlite:////absolute/path`,
        `sqlite:///:memory:`, or `postgresql://user:password@host:port/dbname` (also
        `postgres://`, `postgresql+psycopg://`). `announce`: log it with its article count (a
        full count: off for the extra connections of one crawl)."""
        url = url or DEFAULT_URL
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        masked = mask_url(url)
        if scheme == "sqlite":
            store_class = SQLiteStore
        elif scheme.split("+", 1)[0] in ("postgresql", "postgres"):
            store_class = PostgresStore
        else:
            raise StoreError(f"unsupported database URL {masked!r}: use sqlite:/// or postgresql://")
        store = store_class.connect(url)
        if announce:
            logger.info("akhbar store: %s (%d articles)", masked, store.count())
        return store

    # --- the backend's differences ----------------------------------------------------
    def _sql(self, statement: str) -> str:
        return statement

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        raise NotImplementedError

    # --- schema ------------------------------------------------------------------------
    def _lock_schema(self) -> None:
        """Serialise schema creation between processes (SQLite's BEGIN IMMEDIATE already does)."""

    def _create_schema(self) -> None:
        with self._transaction():
            self._lock_schema()
            for statement in _ddl(self.id_column):
                self._execute(statement)
            # A new store, or an older one the statements above just brought up to date (every
            # table and index is CREATE ... IF NOT EXISTS): record this version.
            current = self._one("SELECT MAX(version) FROM akhbar_schema")[0]
            if current is None or current < SCHEMA_VERSION:
                self._execute("INSERT INTO akhbar_schema (version) VALUES (?)", (SCHEMA_VERSION,))
        version = self._one("SELECT MAX(version) FROM akhbar_schema")[0]
        if version != SCHEMA_VERSION:
            raise StoreError(f"database schema version {version}, this akhbar writes {SCHEMA_VERSION}")

    # --- statements --------------------------------------------------------------------
    def _execute(self, statement: str, params: tuple | list = ()):
        cursor = self.connection.cursor()
        if params:
            cursor.execute(self._sql(statement), tuple(params))
        else:  # no parameters: a literal % or ? in the statement stays as written
            cursor.execute(statement)
        return cursor

    def _one(self, statement: str, params: tuple | list = ()):
        return self._execute(statement, params).fetchone()

    def query(self, statement: str, params: tuple | list = ()) -> list[tuple]:
        """Rows of a read-only statement, written with `?` placeholders on either backend."""
        return [tuple(row) for row in self._execute(statement, params).fetchall()]

    # --- the API -----------------------------------------------------------------------
    def upsert(self, item: Mapping[str, Any]) -> bool:
        """Insert the article, or update the stored one with the same key (canonical URL, else
        url): its columns are overwritten and its child rows replaced, in one transaction.
        True when it was inserted, False when updated."""
        item = dict(item)
        key = article_key(item)
        rows = {field: _child_rows(field, item.get(field)) for field in CHILD_TABLES}
        scalars = [_scalar(item.get(name), name) for name in SCALAR_FIELDS]
        now = _now()
        with self._transaction():
            existing = self._one("SELECT id FROM articles WHERE key_url = ?", (key,))
            self._execute(_UPSERT_ARTICLE, [key, *scalars, now, now])
            article_id = self._one("SELECT id FROM articles WHERE key_url = ?", (key,))[0]
            for field, (table, cols) in CHILD_TABLES.items():
                if existing is not None:
                    self._execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
                if rows[field]:
                    placeholders = ", ".join("?" * (len(cols) + 2))
                    self.connection.cursor().executemany(
                        self._sql(f"INSERT INTO {table} (article_id, position, {', '.join(cols)})"
                                  f" VALUES ({placeholders})"),
                        [(article_id, position, *values) for position, values in enumerate(rows[field])],
                    )
        return existing is None

    def upsert_many(self, items: list[Mapping[str, Any]]) -> list[bool]:
        """upsert() of several items in one transaction, with a few statements per batch instead
        of about ten per item (akhbar/store_writer.py writes its batches so). The same result as
        upserting them in order; one bool per item (inserted). All committed, or none: an error
        rolls the whole batch back."""
        prepared = []  # (key, scalar values, child rows by field), in the batch's order
        for item in map(dict, items):
            prepared.append((article_key(item), [_scalar(item.get(name), name) for name in SCALAR_FIELDS],
                             {field: _child_rows(field, item.get(field)) for field in CHILD_TABLES}))
        last = {key: index for index, (key, _, _) in enumerate(prepared)}  # a later version wins
        keys = list(last)
        now = _now()
        with self._transaction():
            existing = self._ids(keys)
            inserted, seen = [], set(existing)
            for key, _, _ in prepared:
                inserted.append(key not in seen)
                seen.add(key)
            if not keys:
                return inserted
            self.connection.cursor().executemany(
                self._sql(_UPSERT_ARTICLE), [[key, *prepared[last[key]][1], now, now] for key in keys])
            ids = self._ids(keys)
            replaced = [ids[key] for key in keys if key in existing]
            for field, (table, cols) in CHILD_TABLES.items():
                for start in range(0, len(replaced), _IN_CHUNK):
                    chunk = replaced[start:start + _IN_CHUNK]
                    self._execute(f"DELETE FROM {table} WHERE article_id IN ({', '.join('?' * len(chunk))})",
                                  chunk)
                rows = [(ids[key], position, *values) for key in keys
                        for position, values in enumerate(prepared[last[key]][2][field])]
                if rows:
                    self.connection.cursor().executemany(
                        self._sql(f"INSERT INTO {table} (article_id, position, {', '.join(cols)})"
                                  f" VALUES ({', '.join('?' * (len(cols) + 2))})"), rows)
        return inserted

    def _ids(self, keys: list[str]) -> dict[str, int]:
        """key_url -> id of the stored articles among these keys."""
        ids = {}
        for start in range(0, len(keys), _IN_CHUNK):
            chunk = keys[start:start + _IN_CHUNK]
            ids.update(self.query(
                f"SELECT key_url, id FROM articles WHERE key_url IN ({', '.join('?' * len(chunk))})", chunk))
        return ids

    def stored_among(self, urls: list[str]) -> set[str]:
        """Those of the URLs an article is stored under (has() for many URLs, in one query per
        few hundred: akhbar/store_writer.py asks for the requests of a whole crawl moment)."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        chunk_size = _IN_CHUNK // 3  # each URL appears in three IN lists
        for start in range(0, len(wanted), chunk_size):
            chunk = wanted[start:start + chunk_size]
            marks = ", ".join("?" * len(chunk))
            for row in self.query(f"SELECT key_url, url, canonical_url FROM articles WHERE key_url IN ({marks})"
                                  f" OR url IN ({marks}) OR canonical_url IN ({marks})", [*chunk, *chunk, *chunk]):
                found.update(row)
        return found.intersection(wanted)

    def has(self, url: str) -> bool:
        """Whether an article is stored under this URL, as fetched URL or canonical URL."""
        row = self._one(
            "SELECT 1 FROM articles WHERE key_url = ? OR url = ? OR canonical_url = ? LIMIT 1",
            (url, url, url),
        )
        return row is not None

    def count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM articles")[0])

    def get(self, url: str) -> dict | None:
        """The stored article (by key, url or canonical URL) as an item dict, or None."""
        names = ("id",) + SCALAR_FIELDS
        row = self._one(
            f"SELECT {', '.join(names)} FROM articles WHERE key_url = ? OR url = ? OR canonical_url = ?"
            " ORDER BY stored_at DESC LIMIT 1",
            (url, url, url),
        )
        if row is None:
            return None
        article_id, *values = row
        item: dict[str, Any] = dict(zip(SCALAR_FIELDS, values))
        for field, (table, cols) in CHILD_TABLES.items():
            found = self.query(
                f"SELECT {', '.join(cols)} FROM {table} WHERE article_id = ? ORDER BY position",
                (article_id,),
            )
            item[field] = [r[0] if len(cols) == 1 else dict(zip(cols, r)) for r in found]
        return {name: item[name] for name in FIELDS}

    def record_crawl(self, spider: str, started_at: str | None, finished_at: str,
                     finish_reason: str | None, stats: Mapping[str, Any]) -> None:
        """Store one crawl's record: its stats as JSON (values JSON cannot hold, such as
        datetimes, as their text)."""
        text = json.dumps(dict(stats), default=str, ensure_ascii=False, sort_keys=True)
        with self._transaction():
            self._execute(
                "INSERT INTO crawls (spider, started_at, finished_at, finish_reason, stats)"
                " VALUES (?, ?, ?, ?, ?)",
                (spider, started_at, finished_at, finish_reason, text),
            )

    def crawls(self, limit: int = 20, spider: str | None = None) -> list[dict]:
        """The last `limit` crawl records (of one spider, or of all), newest first: dicts with
        spider, started_at, finished_at, finish_reason and stats (a dict)."""
        where, params = ("WHERE spider = ? ", [spider]) if spider else ("", [])
        rows = self.query(
            "SELECT spider, started_at, finished_at, finish_reason, stats FROM crawls "
            f"{where}ORDER BY finished_at DESC, id DESC LIMIT ?",
            (*params, int(limit)),
        )
        names = ("spider", "started_at", "finished_at", "finish_reason", "stats")
        return [{**dict(zip(names, row)), "stats": json.loads(row[4])} for row in rows]

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "ArticleStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_ARTICLE_COLUMNS = ("key_url",) + SCALAR_FIELDS + ("first_stored_at", "stored_at")
# Insert, or overwrite the stored article's columns but first_stored_at (upsert, upsert_many).
_UPSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})"
    f" ON CONFLICT (key_url) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in SCALAR_FIELDS + ("stored_at",)))
# Keys per `IN (...)` list: far below SQLite's limit on a statement's parameters.
_IN_CHUNK = 500


def _scalar(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        raise StoreError(f"field {name!r} should be a single value, got {type(value).__name__}")
    return str(value)


def _child_rows(field: str, values: Any) -> list[tuple]:
    """One tuple per list entry, in the columns of the field's child table."""
    _, columns = CHILD_TABLES[field]
    if values is None:
        return []
    if isinstance(values, (str, bytes, Mapping)):
        raise StoreError(f"field {field!r} should be a list, got {type(values).__name__}")
    rows = []
    for value in values:
        if len(columns) == 1:
            rows.append((_scalar(value, field),))
        elif isinstance(value, Mapping):
            row = tuple(_scalar(value.get(c), f"{field}.{c}") for c in columns)
            if field == "related" and row[0] is None:
                row = ("",) + row[1:]  # SCHEMA.md: "" for a related card with no heading
            rows.append(row)
        else:
            raise StoreError(f"field {field!r} should hold objects with {', '.join(columns)}")
    return rows


class SQLiteStore(ArticleStore):
    backend = "sqlite"
    id_column = "INTEGER PRIMARY KEY"  # the rowid: SQLite's own auto-increment

    @classmethod
    def connect(cls, url: str) -> "SQLiteStore":
        path = sqlite_path(url)
        if path != ":memory:":
            directory = os.path.dirname(path)
            if directory:
                os.makedirs(directory, exist_ok=True)
        try:
            # Autocommit mode: transactions are begun and ended explicitly by _transaction().
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {mask_url(url)}: {exc}") from None
        return cls(connection, url)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE: take the write lock first, so the existence check and the write agree.
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")


def sqlite_path(url: str) -> str:
    """`sqlite:///rel/path` -> `rel/path`, `sqlite:////abs/path` -> `/abs/path` (SQLAlchemy's form)."""
    rest = url.split(":", 1)[1]
    if rest.startswith("///"):
        path = rest[3:]
    elif rest.startswith("//"):
        path = rest[2:]
    else:
        path = rest
    path = path.split("?", 1)[0]
    if not path:
        raise StoreError(f"no file in database URL {mask_url(url)!r}")
    return path


class PostgresStore(ArticleStore):
    backend = "postgresql"
    id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

    @classmethod
    def connect(cls, url: str) -> "PostgresStore":
        try:
            import psycopg
        except ImportError:  # pragma: no cover - a dependency of the project
            raise StoreError("PostgreSQL needs psycopg 3: pip install 'psycopg[binary]'") from None
        conninfo = "postgresql" + url[url.index(":"):]  # postgres:// and postgresql+psycopg://
        try:
            connection = psycopg.connect(conninfo, autocommit=True, connect_timeout=15)
        except psycopg.Error as exc:
            # libpq's messages name host, port, user and database, never the password.
            raise StoreError(f"cannot connect to {mask_url(url)}: {_first_line(exc)}") from None
        return cls(connection, url)

    def _sql(self, statement: str) -> str:
        # psycopg's placeholder; no statement of this module holds a literal ? or %.
        return statement.replace("?", "%s")

    def _lock_schema(self) -> None:
        # Workers starting together race on CREATE TABLE IF NOT EXISTS, which is not atomic in
        # PostgreSQL (unique violation in pg_type): a transaction-scoped advisory lock orders them.
        self._execute("SELECT pg_advisory_xact_lock(?)", (0x616B68626172,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self.connection.transaction():
            yield


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
