"""The database store (akhbar/storage.py) and StorePipeline, on SQLite and on PostgreSQL.

SQLite runs always (a file in tmp_path). PostgreSQL runs against the server that
AKHBAR_TEST_POSTGRES_URL names (`eval "$(bash scripts/postgres.sh start)"` starts one), each test
in its own throwaway schema; without that variable those tests are skipped with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from urllib.parse import quote

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from akhbar.items import FIELDS, Article
from akhbar.storage import ArticleStore, StoreError, mask_url
from akhbar.store_pipeline import StorePipeline

POSTGRES_URL = os.environ.get("AKHBAR_TEST_POSTGRES_URL")


def make_article(n: int = 1, **fields) -> Article:
    """An article with every SCHEMA field filled, in the test's own words."""
    base = f"https://www.example-akhbar.test/story/2024/5/13/{n}"
    item = Article(
        url=f"{base}?utm_source=feed",
        canonical_url=base,
        outlet="example",
        language="ar",
        headline=f"وزير الخارجية يستقبل نظيره الروسي في القاهرة ({n})",
        subheadline="مباحثات حول التعاون الاقتصادي والأوضاع الإقليمية",
        section="أخبار عربية",
        published_at="2024-05-13T06:00:00+03:00",
        published_at_raw="الإثنين، 13 مايو 2024 06:00 ص",
        modified_at="2024-05-13T08:30:00+03:00",
        authors=["سارة عبد الحميد", "محمود علي"],
        agencies=["MENA", "REUTERS"],
        agency_raw="أ ش أ - رويترز",
        dateline="موسكو",
        body=["استقبل الوزير اليوم نظيره في مقر الوزارة.", "وتناول اللقاء ملفات التعاون.",
              "وأكد الجانبان أهمية التنسيق."],
        images=[{"url": f"{base}/lead.jpg", "caption": "الوزيران خلال اللقاء"},
                {"url": f"{base}/second.jpg", "caption": None}],
        tags=["الدبلوماسية", "روسيا"],
        related=[
            {"block": "اقرأ أيضا", "title": "قمة عربية الشهر المقبل", "url": "https://www.example-akhbar.test/story/9"},
            {"block": "الأكثر قراءة", "title": "أسعار الذهب اليوم", "url": "https://www.example-akhbar.test/story/8"},
            {"block": "", "title": "بطاقة بلا عنوان", "url": "https://www.example-akhbar.test/story/7"},
        ],
        scraped_at="2024-05-13T05:10:00+00:00",
    )
    item.update(fields)
    return item


def _postgres_schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/akhbar.sqlite3"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need AKHBAR_TEST_POSTGRES_URL "
                    "(eval \"$(bash scripts/postgres.sh start)\" starts a server and sets it)")
    with fresh_postgres_schema() as url:
        yield url


@contextlib.contextmanager
def fresh_postgres_schema():
    """The URL of a new, empty schema of the test server, dropped afterwards."""
    import psycopg

    schema = f"akhbar_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _postgres_schema_url(POSTGRES_URL, schema)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(database_url):
    with ArticleStore.open(database_url) as opened:
        yield opened


def rows(store, table):
    return store.query(f"SELECT COUNT(*) FROM {table}")[0][0]


def test_insert_keeps_every_field(store):
    item = make_article()
    assert store.upsert(item) is True
    assert store.count() == 1
    stored = store.get(item["canonical_url"])
    assert list(stored) == list(FIELDS)
    assert stored == dict(item)


def test_article_is_keyed_by_canonical_url_and_found_by_either_url(store):
    item = make_article()
    store.upsert(item)
    assert store.query("SELECT key_url FROM articles") == [(item["canonical_url"],)]
    assert store.has(item["url"]) and store.has(item["canonical_url"])
    assert not store.has("https://www.example-akhbar.test/story/2024/5/13/2")


def test_without_canonical_url_the_url_is_the_key(store):
    item = make_article(canonical_url=None)
    store.upsert(item)
    assert store.query("SELECT key_url, canonical_url FROM articles") == [(item["url"], None)]
    assert store.has(item["url"])


def test_reupsert_updates_and_replaces_child_rows(store):
    first = make_article()
    assert store.upsert(first) is True
    first_stored_at = store.query("SELECT first_stored_at FROM articles")[0][0]
    # The same article met again, under another URL, edited: fewer paragraphs, one agency.
    again = make_article(url="https://m.example-akhbar.test/amp/1", headline="عنوان معدل",
                         body=["فقرة واحدة بعد التعديل."], agencies=["AFP"], authors=[],
                         related=[{"block": "لا يفوتك", "title": "خبر جديد", "url": "https://www.example-akhbar.test/story/6"}])
    assert store.upsert(again) is False
    assert store.count() == 1
    assert store.query("SELECT url, headline, first_stored_at FROM articles") == [
        ("https://m.example-akhbar.test/amp/1", "عنوان معدل", first_stored_at)]
    assert rows(store, "body_paragraphs") == 1
    assert rows(store, "agencies") == 1
    assert rows(store, "authors") == 0
    assert rows(store, "related") == 1
    assert rows(store, "images") == 2 and rows(store, "tags") == 2
    assert store.get(again["canonical_url"]) == dict(again)
    # Upserting the identical item again changes nothing.
    assert store.upsert(again) is False
    assert store.get(again["canonical_url"]) == dict(again) and rows(store, "body_paragraphs") == 1


def test_agencies_and_related_are_tables_queryable_with_joins_in_page_order(store):
    store.upsert(make_article(1))
    store.upsert(make_article(2, agencies=["AFP"], related=[]))
    mena = store.query(
        "SELECT a.key_url FROM articles a JOIN agencies g ON g.article_id = a.id"
        " WHERE g.code = ? ORDER BY a.key_url", ("MENA",))
    assert mena == [("https://www.example-akhbar.test/story/2024/5/13/1",)]
    agencies = store.query(
        "SELECT a.key_url, g.position, g.code FROM agencies g JOIN articles a ON a.id = g.article_id"
        " ORDER BY a.key_url, g.position")
    assert [(key[-1], pos, code) for key, pos, code in agencies] == [
        ("1", 0, "MENA"), ("1", 1, "REUTERS"), ("2", 0, "AFP")]
    related = store.query(
        "SELECT r.block, r.title, r.url FROM related r JOIN articles a ON a.id = r.article_id"
        " WHERE a.canonical_url = ? ORDER BY r.position", ("https://www.example-akhbar.test/story/2024/5/13/1",))
    assert related == [(link["block"], link["title"], link["url"]) for link in make_article(1)["related"]]
    most_read = store.query("SELECT COUNT(*) FROM related WHERE block = ?", ("الأكثر قراءة",))
    assert most_read == [(1,)]
    body = store.query("SELECT p.paragraph FROM body_paragraphs p JOIN articles a ON a.id = p.article_id"
                       " WHERE a.key_url LIKE ? ORDER BY p.position", ("%/1",))
    assert [r[0] for r in body] == make_article(1)["body"]


def test_a_second_article_is_independent(store):
    store.upsert(make_article(1))
    store.upsert(make_article(2))
    store.upsert(make_article(1, body=["نص جديد"], tags=[]))
    assert store.count() == 2
    assert store.get("https://www.example-akhbar.test/story/2024/5/13/2") == dict(make_article(2))
    assert store.get("https://www.example-akhbar.test/story/2024/5/13/1")["tags"] == []
    assert rows(store, "tags") == 2


def test_injection_looking_text_is_stored_verbatim(store):
    evil = "'); DROP TABLE articles; -- عنوان \"مقتبس\" ? %s %(x)s \\ ؛"
    item = make_article(headline=evil, tags=[evil], body=[evil, "100% صحيح?"],
                        related=[{"block": evil, "title": evil, "url": "https://x.test/?a='1'&b=%22"}])
    store.upsert(item)
    assert store.get(item["canonical_url"]) == dict(item)
    assert store.has(item["url"]) and not store.has(evil)
    assert store.query("SELECT COUNT(*) FROM articles WHERE headline = ?", (evil,)) == [(1,)]


def test_missing_and_empty_fields_are_stored_as_null_and_no_rows(store):
    item = Article(url="https://www.example-akhbar.test/story/3", headline="عنوان", body=["فقرة"])
    assert store.upsert(item) is True
    stored = store.get(item["url"])
    assert stored["subheadline"] is None and stored["agencies"] == [] and stored["related"] == []


def test_bad_items_raise_and_leave_nothing_half_written(store):
    with pytest.raises(StoreError):
        store.upsert({"headline": "بلا رابط"})
    with pytest.raises(StoreError):
        store.upsert(make_article(related=["not an object"]))
    assert store.count() == 0 and rows(store, "body_paragraphs") == 0


def test_a_failing_update_rolls_back_to_the_stored_article(store):
    item = make_article()
    store.upsert(item)
    # A related link without url breaks a NOT NULL constraint after the article row and
    # several child tables were already rewritten: the whole upsert is rolled back.
    broken = make_article(headline="لن يحفظ", body=["x"], related=[{"block": "ب", "title": "ت", "url": None}])
    with pytest.raises(Exception):
        store.upsert(broken)
    assert store.count() == 1
    assert store.get(item["canonical_url"]) == dict(item)
    store.upsert(make_article(2))  # the connection is usable after the failure
    assert store.count() == 2


def test_reopening_keeps_the_data(database_url):
    with ArticleStore.open(database_url) as first:
        first.upsert(make_article())
    with ArticleStore.open(database_url) as second:
        assert second.count() == 1 and second.has(make_article()["url"])


def test_opening_logs_the_url_with_the_password_masked(database_url, caplog):
    caplog.set_level(logging.INFO, logger="akhbar")
    with ArticleStore.open(database_url):
        pass
    logged = caplog.text
    assert mask_url(database_url) in logged
    if database_url.startswith("postgresql"):
        password = database_url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert password and password not in logged and ":***@" in logged


def test_a_wrong_password_fails_without_showing_it():
    if not POSTGRES_URL:
        pytest.skip("needs AKHBAR_TEST_POSTGRES_URL (a PostgreSQL server)")
    userinfo, rest = POSTGRES_URL.split("://", 1)[1].split("@", 1)
    wrong = f"postgresql://{userinfo.split(':', 1)[0]}:NotTheSecret-7731@{rest}"
    with pytest.raises(StoreError) as error:
        ArticleStore.open(wrong)
    assert "NotTheSecret-7731" not in str(error.value) and ":***@" in str(error.value)


def test_the_postgres_password_can_come_from_the_environment(monkeypatch):
    if not POSTGRES_URL:
        pytest.skip("needs AKHBAR_TEST_POSTGRES_URL (a PostgreSQL server)")
    userinfo, rest = POSTGRES_URL.split("://", 1)[1].split("@", 1)
    user, password = userinfo.split(":", 1)
    monkeypatch.setenv("PGPASSWORD", password)
    with ArticleStore.open(f"postgresql://{user}@{rest}") as store:
        assert store.count() >= 0


@pytest.mark.parametrize("url, masked", [
    ("postgresql://akhbar:s3cr%40t@db.example:5432/news", "postgresql://akhbar:***@db.example:5432/news"),
    ("postgres://u:p@ss@h/d", "postgres://u:***@h/d"),
    ("postgresql://u@h/d?password=s3cret&sslmode=require", "postgresql://u@h/d?password=***&sslmode=require"),
    ("postgresql://u@h/d", "postgresql://u@h/d"),
    ("sqlite:///output/akhbar.sqlite3", "sqlite:///output/akhbar.sqlite3"),
    ("sqlite:////var/lib/akhbar.sqlite3", "sqlite:////var/lib/akhbar.sqlite3"),
])
def test_mask_url(url, masked):
    assert mask_url(url) == masked


def test_unsupported_url_is_refused():
    with pytest.raises(StoreError, match="unsupported"):
        ArticleStore.open("mysql://u:secret@h/d")
    with pytest.raises(StoreError) as error:
        ArticleStore.open("mysql://u:secret@h/d")
    assert "secret" not in str(error.value)


def test_sqlite_default_is_a_wal_file_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with ArticleStore.open(None) as store:
        store.upsert(make_article())
        assert store.query("PRAGMA journal_mode") == [("wal",)]
    assert (tmp_path / "output" / "akhbar.sqlite3").is_file()


# --- the pipeline ---------------------------------------------------------------------------

def test_pipeline_counts_inserted_updated_failed(database_url, caplog):
    crawler = get_crawler(settings_dict={"AKHBAR_DATABASE_URL": database_url})
    pipeline = StorePipeline.from_crawler(crawler)
    spider = scrapy.Spider(name="example")
    first, second = make_article(1), make_article(2)
    broken = Article(headline="بلا رابط", body=["فقرة"])

    async def crawl():  # the pipeline runs on an asyncio loop, as under akhbar's reactor
        await pipeline.open_spider(spider)
        assert await pipeline.process_item(first, spider) is first
        await pipeline.process_item(second, spider)
        await pipeline.process_item(make_article(1, headline="تحديث"), spider)
        assert await pipeline.process_item(broken, spider) is broken  # passed on, not raised
        await pipeline.process_item(make_article(3), spider)  # the crawl goes on after a failure
        await pipeline.close_spider(spider)

    with caplog.at_level(logging.ERROR, logger="akhbar"):
        asyncio.run(crawl())
    stats = crawler.stats
    assert stats.get_value("akhbar/store/inserted") == 3
    assert stats.get_value("akhbar/store/updated") == 1
    assert stats.get_value("akhbar/store/failed") == 1
    # The five went in one batch, which the broken item failed: retried one by one.
    assert stats.get_value("akhbar/store/batch_retried") == 1
    assert "cannot store" in caplog.text
    with ArticleStore.open(database_url) as store:
        assert store.count() == 3
        assert store.get(first["canonical_url"])["headline"] == "تحديث"


def test_pipeline_can_be_disabled():
    crawler = get_crawler(settings_dict={"AKHBAR_STORE_ENABLED": False})
    with pytest.raises(NotConfigured):
        StorePipeline.from_crawler(crawler)
