"""akhbar.text.attribution: agency and dateline of opening/closing lines.

Every row of ../shared/corpus/datelines.tsv (real lines from many outlets, labelled by hand)
is one case, read at test time; the issue's own examples follow as hand-written cases.
"""

import csv
import json

import pytest
from shared import CORPUS_DIR, SHARED_DIR

from akhbar.text.agencies import CODES, find_agencies, lookup
from akhbar.text.attribution import Attribution, parse_closing, parse_opening, parse_source

DATELINES = CORPUS_DIR / "datelines.tsv"


def _rows():
    if not DATELINES.exists():
        reason = f"third-party corpus not found: {DATELINES} (set AKHBAR_SHARED to the shared folder)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="datelines-tsv-absent")]
    with DATELINES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [pytest.param(row, id=f"{row['id']}-{row['position']}") for row in rows]


def _expected(row):
    # agencies: SCHEMA.md codes, ","-separated; agency_raw and dateline as printed; empty = none.
    return (
        [code for code in row["agencies"].split(",") if code],
        row["agency_raw"] or None,
        row["dateline"] or None,
    )


@pytest.mark.parametrize("row", _rows())
def test_datelines_tsv(row):
    text = row["text"].replace("\\n", "\n")  # a literal \n in the file is a line break
    agencies, agency_raw, dateline = _expected(row)
    if row["position"] in ("opening", "none"):
        got = parse_opening(text)
        assert (got.agencies, got.agency_raw, got.dateline) == (agencies, agency_raw, dateline)
    elif row["position"] == "closing":
        got = parse_closing(text)
        assert (got.agencies, got.agency_raw) == (agencies, agency_raw)
        if dateline:
            assert got.dateline == dateline
    else:
        assert row["position"] == "mention", row["position"]
        assert parse_opening(text).agencies == []
        assert parse_closing(text).agencies == []


def test_datelines_tsv_codes_are_schema_codes():
    if not DATELINES.exists():
        pytest.skip(f"third-party corpus not found: {DATELINES}")
    for param in _rows():
        for code in _expected(param.values[0])[0]:
            assert code in CODES


# --- the cases -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, agencies, agency_raw, dateline",
    [
        ("موسكو (أ ش أ)", ["MENA"], "أ ش أ", "موسكو"),
        ("هلسنكى(أ ش أ)", ["MENA"], "أ ش أ", "هلسنكى"),
        ("القاهرة - رويترز", ["REUTERS"], "رويترز", "القاهرة"),
        ("(رويترز، أ ف ب)", ["REUTERS", "AFP"], "رويترز، أ ف ب", None),
        ("واشنطن (رويترز، أ ف ب) - قال مسؤول أمريكي", ["REUTERS", "AFP"], "رويترز، أ ف ب", "واشنطن"),
        ("القاهرة - أ.ش.أ", ["MENA"], "أ.ش.أ", "القاهرة"),
        ("أ.ش.أ", ["MENA"], "أ.ش.أ", None),
        ("القاهرة - وكالة أنباء الشرق الأوسط", ["MENA"], "وكالة أنباء الشرق الأوسط", "القاهرة"),
        ("أبوظبي في الأول من ديسمبر/ وام/ قال", ["WAM"], "وام", "أبوظبي"),
        ("باريس (أ ف ب) - أعلنت", ["AFP"], "أ ف ب", "باريس"),
        # a wire label where the place would be is not a place
        ("عاجل (أ ش أ)", ["MENA"], "أ ش أ", None),
        # قنا opening a line is the Egyptian city (Qena), not Qatar News Agency
        ("قنا (أ ش أ)", ["MENA"], "أ ش أ", "قنا"),
        ("الدوحة - قنا", ["QNA"], "قنا", "الدوحة"),
        # an outlet, not an agency
        ("موسكو - المغرب اليوم", [], None, "موسكو"),
    ],
)
def test_opening_cases(text, agencies, agency_raw, dateline):
    got = parse_opening(text)
    assert (got.agencies, got.agency_raw, got.dateline) == (agencies, agency_raw, dateline)


@pytest.mark.parametrize(
    "text",
    [
        "وذكرت وكالة رويترز أن الرئيس التقى نظيره",
        "وقالت وكالة أنباء الشرق الأوسط إن الاجتماع انتهى",
        'وبحسب "أ.ف.ب" قال أحد النشطاء',
        "ونقلت وكالة الأنباء السعودية (واس) عن مصدر",
        "وقال مسؤول لرويترز إن الوضع هادئ",
        "البترا مدينة أثرية",  # the agency name بترا inside a word
        "",
        None,
    ],
)
def test_quoted_source_is_not_an_attribution(text):
    assert parse_opening(text).agencies == []
    assert parse_closing(text).agencies == []


def test_remainder():
    assert parse_opening("موسكو (أ ش أ)").remainder == ""
    assert parse_opening("موسكو (أ ش أ)\nقال المتحدث\nوأضاف").remainder == "قال المتحدث\nوأضاف"
    assert parse_opening("بيروت (رويترز) - قال شاهد إن").remainder == "قال شاهد إن"
    assert parse_opening("موسكو - المغرب اليوم\nاعلن الوزير").remainder == "اعلن الوزير"
    assert parse_opening("قال الوزير اليوم إن المحادثات انتهت").remainder == "قال الوزير اليوم إن المحادثات انتهت"


def test_opening_cleans_the_text():
    # no-break space, bidi mark, and a lone tatweel used as a dash
    got = parse_opening("مسقط\u00a0ـ\u200f العمانية:\nاستقبل")
    assert (got.agencies, got.agency_raw, got.dateline, got.remainder) == (["ONA"], "العمانية", "مسقط", "استقبل")


@pytest.mark.parametrize(
    "text, agencies, agency_raw, dateline, remainder",
    [
        ("وقال إن الوضع مستقر. (رويترز)", ["REUTERS"], "رويترز", None, "وقال إن الوضع مستقر."),
        ("وقال إن الوضع مستقر.\n(طهران- د ب أ)", ["DPA"], "د ب أ", "طهران", "وقال إن الوضع مستقر."),
        ("وقال إن الوضع مستقر.\nأ ش أ", ["MENA"], "أ ش أ", None, "وقال إن الوضع مستقر."),
        ("وتابع.\n#سونا #السودان", ["SUNA"], "#سونا", None, "وتابع."),
        # brackets inside an unfinished sentence belong to it
        ("وقال إنه تحدث إلى (رويترز)", [], None, None, "وقال إنه تحدث إلى (رويترز)"),
        ("وقال إن الوضع مستقر.", [], None, None, "وقال إن الوضع مستقر."),
    ],
)
def test_closing_cases(text, agencies, agency_raw, dateline, remainder):
    assert parse_closing(text) == Attribution(agencies, agency_raw, dateline, remainder)


@pytest.mark.parametrize(
    "text, agencies, agency_raw, dateline",
    [
        ("المصدر: أ ف ب", ["AFP"], "أ ف ب", None),
        ("وكالات", ["AGENCIES"], "وكالات", None),
        ("المصدر : وكالة الصحافة الفرنسية", ["AFP"], "وكالة الصحافة الفرنسية", None),
        ("كتب: رويترز", ["REUTERS"], "رويترز", None),
        ("القاهرة - أ ش أ", ["MENA"], "أ ش أ", "القاهرة"),
        ("بوابة الأهرام", [], None, None),
        ("وقال مصدر مطلع لوكالة رويترز إن الاتفاق قريب", [], None, None),
    ],
)
def test_source_cases(text, agencies, agency_raw, dateline):
    got = parse_source(text)
    assert (got.agencies, got.agency_raw, got.dateline) == (agencies, agency_raw, dateline)


@pytest.mark.parametrize(
    "printed, code",
    [
        ("أ ش أ", "MENA"), ("أ.ش.أ", "MENA"), ("(أ.ش.أ)", "MENA"), ("ا ش ا", "MENA"),
        ("وكالة أنباء الشرق الاوسط", "MENA"), ("رويترز", "REUTERS"), ("ا,ف,ب", "AFP"),
        ("أ ف ب", "AFP"), ("فرانس برس", "AFP"), ("وكالة الصحافة الفرنسية", "AFP"),
        ("د.ب.أ", "DPA"), ("واس", "SPA"), ("وكالة الأنباء السعودية", "SPA"), ("و م ع", "MAP"),
        ("الوكالات", "AGENCIES"), ("#سونا", "SUNA"), ("نوفوستي", None), ("ومع", None), ("", None),
    ],
)
def test_lookup(printed, code):
    assert lookup(printed) == code


def test_registry_covers_every_schema_code():
    schema = SHARED_DIR / "SCHEMA.md"
    if not schema.exists():
        pytest.skip(f"third-party SCHEMA.md not found: {schema}")
    table = schema.read_text(encoding="utf-8").split("## Agency codes", 1)[1]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            code = cells[0].strip("`")
            assert code in CODES
            for form in cells[1].split("·"):
                form = form.split("(")[0].strip()  # "وكالات (unnamed agencies)"
                assert lookup(form) == code, form
                assert [m.code for m in find_agencies(form)] == [code], form


def test_expected_items_opening_paragraph():
    """The hand-annotated items: no page's first paragraph is attributed to an agency, and a
    dateline read from it (CNN's "دمشق، سوريا (CNN) --") is the annotated one."""
    expected_dir = CORPUS_DIR / "expected"
    if not expected_dir.exists():
        pytest.skip(f"third-party corpus not found: {expected_dir}")
    files = sorted(expected_dir.glob("*/*.json"))
    assert files
    for path in files:
        item = json.loads(path.read_text(encoding="utf-8"))
        got = parse_opening(item["body"][0])
        assert got.agencies == item["agencies"], path.name
        assert got.dateline in (None, item["dateline"]), path.name


def test_registry_loads_from_a_zipped_package(tmp_path):
    """Scrapyd runs the project from an egg (a zip): the registry is read as package data."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    import akhbar

    package = Path(akhbar.__file__).parent
    egg = tmp_path / "akhbar.egg"
    with zipfile.ZipFile(egg, "w") as z:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, Path("akhbar") / path.relative_to(package))
    code = "import akhbar.text.agencies as a; assert '.egg' in a.__file__; print(a.lookup('أ.ش.أ'))"
    out = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(egg)}, cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "MENA"
