"""Where the shared folder of real pages is: the repo root's sibling `shared` (env AKHBAR_SHARED)."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("AKHBAR_SHARED") or ROOT.parent / "shared")
CORPUS_DIR = SHARED_DIR / "corpus"


def require_shared() -> None:
    """Skip the calling test, saying why, when the shared corpus is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"shared corpus of real pages not found at {CORPUS_DIR} (set AKHBAR_SHARED)")


def real_html_pages() -> list[Path]:
    """The project's own test pages, then every HTML page of the shared corpus (where present)."""
    from akhbar.catalog import OWN_PAGES

    files = sorted(OWN_PAGES.glob("*/*.html"))
    if CORPUS_DIR.is_dir():
        files += sorted(CORPUS_DIR.glob("**/*.html"))
    return files
