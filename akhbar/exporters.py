"""CSV that opens right in Excel: UTF-8 with a BOM, list fields joined, formulas defused."""

from __future__ import annotations

from scrapy.exporters import CsvItemExporter

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _join(name: str, value) -> str:
    if not isinstance(value, list):
        return "" if value is None else str(value)
    if name == "body":
        return "\n\n".join(value)
    if name == "images":
        return "\n".join(f"{i['url']} {i.get('caption') or ''}".rstrip() for i in value)
    if name == "related":
        return "\n".join(f"{r['block']}: {r['title']} <{r['url']}>" for r in value)
    return "; ".join(str(v) for v in value)


def defuse_formula(text: str) -> str:
    """Make a cell that a spreadsheet would evaluate read as plain text."""
    return "'" + text if text.startswith(_FORMULA_START) else text


class ExcelCsvItemExporter(CsvItemExporter):
    def __init__(self, file, **kwargs):
        kwargs["encoding"] = "utf-8-sig"  # the BOM tells Excel the file is UTF-8
        super().__init__(file, **kwargs)

    def serialize_field(self, field, name, value):
        return defuse_formula(_join(name, value))
