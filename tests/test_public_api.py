"""akhbar's public API (docs/api.md): every example in its docstrings holds, every public name has
one, and the doc page lists every public name.

The examples' expected outputs were written from reading the example text (the dates, agencies
and places are in the examples themselves), not copied from what the code printed.
"""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

import akhbar
import akhbar.text
from akhbar.extraction import extract_article
from akhbar.loaders import ArticleLoader, clean_value, dedupe, drop_empty, strip_value
from akhbar.spiders.base import NewsSpider

ROOT = Path(__file__).resolve().parent.parent
API_DOC = ROOT / "docs" / "api.md"

# Modules whose docstrings carry the public API's examples.
PUBLIC_MODULES = (
    "akhbar.spiders.base",
    "akhbar.text",
    "akhbar.text.agencies",
    "akhbar.text.attribution",
    "akhbar.text.bylines",
    "akhbar.text.clean",
    "akhbar.text.dates",
    "akhbar.loaders",
    "akhbar.extraction.engine",
)

# Every public callable, by the name docs/api.md gives it: each needs an example of its own.
PUBLIC_CALLABLES = {
    "NewsSpider": NewsSpider,
    "parse_opening": akhbar.text.parse_opening,
    "parse_closing": akhbar.text.parse_closing,
    "parse_byline": akhbar.text.parse_byline,
    "parse_date": akhbar.text.parse_date,
    "parse_metadata_date": akhbar.text.parse_metadata_date,
    "clean_text": akhbar.text.clean_text,
    "search_key": akhbar.text.search_key,
    "find_agencies": akhbar.text.find_agencies,
    "agency_code": akhbar.text.agency_code,
    "ArticleLoader": ArticleLoader,
    "clean_value": clean_value,
    "strip_value": strip_value,
    "drop_empty": drop_empty,
    "dedupe": dedupe,
    "extract_article": extract_article,
}


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_docstring_example_holds(name):
    module = importlib.import_module(name)
    # The failures' report goes to stdout, which pytest shows with the failure.
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"


@pytest.mark.parametrize("name", sorted(PUBLIC_CALLABLES))
def test_every_public_callable_has_an_example_of_its_own(name):
    assert ">>> " in (PUBLIC_CALLABLES[name].__doc__ or ""), f"{name}'s docstring has no example"


def test_the_text_layer_exports_the_names_the_api_page_gives():
    exported = set(akhbar.text.__all__)
    for name in ("parse_opening", "parse_closing", "parse_byline", "parse_date", "clean_text",
                 "search_key", "find_agencies", "agency_code", "AGENCY_CODES", "AgencyMatch"):
        assert name in exported
    assert [n for n in akhbar.text.__all__ if not hasattr(akhbar.text, n)] == []
    # the registry: every code of akhbar/data/agencies.json, SCHEMA.md's first row among them
    assert "MENA" in akhbar.text.AGENCY_CODES and len(set(akhbar.text.AGENCY_CODES)) == len(akhbar.text.AGENCY_CODES)


def test_the_api_page_lists_every_public_name_and_the_version():
    page = API_DOC.read_text(encoding="utf-8")
    for name in [*PUBLIC_CALLABLES, "akhbar.Addon", "AGENCY_CODES", "akhbar.__version__"]:
        # in code quotes, alone or at the end of a dotted path: `dedupe`, `akhbar.text.parse_date(`
        assert re.search(rf"`(?:[\w.]+\.)?{re.escape(name)}\b", page), f"docs/api.md does not list {name}"


def test_the_version_is_one_string_read_by_the_package_metadata():
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:\.dev\d+|(?:a|b|rc)\d+)?", akhbar.__version__)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # single-sourced: pyproject takes the attribute, and writes no version of its own
    assert 'version = {attr = "akhbar.__version__"}' in pyproject
    assert re.search(r'^version\s*=\s*"', pyproject, flags=re.M) is None
    assert f"## {akhbar.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
