import csv
import io

from akhbar.exporters import ExcelCsvItemExporter
from akhbar.items import FIELDS, Article, complete


def test_csv_has_a_bom_joined_lists_and_defused_formulas():
    buffer = io.BytesIO()
    exporter = ExcelCsvItemExporter(buffer, fields_to_export=list(FIELDS))
    exporter.start_exporting()
    item = complete(Article(url="https://example.com/a", headline="=HYPERLINK(\"x\")",
                            authors=["منى عبد الله", "أحمد سمير"], body=["فقرة أولى", "فقرة ثانية"],
                            related=[{"block": "اقرأ أيضا", "title": "خبر", "url": "https://example.com/b"}]))
    exporter.export_item(item)
    exporter.finish_exporting()
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["authors"] == "منى عبد الله; أحمد سمير"
    assert rows[0]["body"] == "فقرة أولى\n\nفقرة ثانية"
    assert rows[0]["related"] == "اقرأ أيضا: خبر <https://example.com/b>"
    assert rows[0]["headline"] == "'=HYPERLINK(\"x\")"
