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


def _csv_rows(**fields) -> list[dict]:
    buffer = io.BytesIO()
    exporter = ExcelCsvItemExporter(buffer, fields_to_export=list(FIELDS))
    exporter.start_exporting()
    exporter.export_item(complete(Article(url="https://example.com/a", **fields)))
    exporter.finish_exporting()
    return list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))


def test_formula_injection_is_defused_in_joined_lists_and_tab_or_cr_starts():
    rows = _csv_rows(
        headline="\t=1+1", subheadline="\r=cmd|' /C calc'!A0", section="@SUM(A1:A9)",
        authors=["-2+3", "منى عبد الله"], tags=["+971 4 123", "دبي"],
        body=["=HYPERLINK(\"http://evil.example\",\"اضغط\")", "فقرة"],
        images=[{"url": "=IMAGE(\"http://evil.example/x.png\")", "caption": "=1"}],
        related=[{"block": "=cmd", "title": "خبر", "url": "https://example.com/b"}],
        agencies=["@MENA"], dateline="+القاهرة",
    )
    row = rows[0]
    for name in ("headline", "subheadline", "section", "authors", "tags", "body", "images",
                 "related", "agencies", "dateline"):
        assert row[name].startswith("'"), (name, row[name])
    assert row["authors"] == "'-2+3; منى عبد الله"  # the joined cell starts with the first entry
    assert row["headline"] == "'\t=1+1"
    assert row["related"] == "'=cmd: خبر <https://example.com/b>"
    # Plain cells are left as they are, however they continue.
    plain = _csv_rows(headline="خبر = عاجل", authors=["منى", "-أحمد"], tags=[])[0]
    assert plain["headline"] == "خبر = عاجل" and plain["authors"] == "منى; -أحمد" and plain["tags"] == ""
