"""Workers that start together create the schema once, without racing (PostgreSQL)."""

import os
import subprocess
import sys
import uuid

import pytest

POSTGRES_URL = os.environ.get("AKHBAR_TEST_POSTGRES_URL")

OPEN_STORE = """
import sys
from akhbar.storage import ArticleStore
ArticleStore.open(sys.argv[1]).close()
"""


@pytest.mark.skipif(not POSTGRES_URL, reason="needs AKHBAR_TEST_POSTGRES_URL (a PostgreSQL server)")
def test_processes_opening_a_new_database_together_all_succeed():
    import psycopg

    schema = f"race_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            separator = "&" if "?" in POSTGRES_URL else "?"
            url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
            processes = [subprocess.Popen([sys.executable, "-c", OPEN_STORE, url], stderr=subprocess.PIPE, text=True)
                         for _ in range(6)]
            failures = [p.communicate(timeout=60)[1] for p in processes if p.wait(timeout=60) != 0]
            assert not failures, failures[0][-2000:]
            tables = admin.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %s",
                                   (schema,)).fetchone()[0]
            assert tables >= 8
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
