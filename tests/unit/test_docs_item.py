"""docs/item.md documents the item as the code defines it: every field, in order, and every agency code."""

import json
import re
from pathlib import Path

from akhbar.items import FIELDS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "item.md").read_text(encoding="utf-8")


def table_keys(section_start: str) -> list[str]:
    """The first column's `code` cells of the table after a heading."""
    part = DOC[DOC.index(section_start):]
    rows = []
    for line in part.splitlines()[1:]:
        if line.startswith("#"):
            break
        match = re.match(r"^\| `([^`]+)` \|", line)
        if match:
            rows.append(match.group(1))
    return rows


def test_every_field_in_the_items_order():
    assert table_keys("# The article item") == list(FIELDS)


def test_every_agency_code_of_the_registry():
    registry = json.loads((ROOT / "akhbar" / "data" / "agencies.json").read_text(encoding="utf-8"))
    assert table_keys("## Agency codes") == [agency["code"] for agency in registry["agencies"]]
