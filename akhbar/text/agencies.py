"""The news-agency registry (akhbar/data/agencies.json) and its one compiled matcher.

The data is read with importlib.resources so it also loads from a zipped Scrapyd egg.
The matcher only says where agency names are printed; whether a name is an attribution
or a source quoted in a sentence is attribution.py's business.
"""

import json
import re
from dataclasses import dataclass
from importlib.resources import files

from akhbar.text.clean import clean_text, search_key

_REGISTRY = json.loads(files("akhbar").joinpath("data", "agencies.json").read_text(encoding="utf-8"))

CODES: tuple[str, ...] = tuple(entry["code"] for entry in _REGISTRY["agencies"])

# Printed variants the matcher accepts without listing them: hamza/madda on alef,
# ى/ي, ة/ه, and diacritics after any letter.
_LETTER_CLASS = {"ا": "[اأإآٱ]", "أ": "[اأإآٱ]", "إ": "[اأإآٱ]", "آ": "[اأإآٱ]", "ى": "[ىي]", "ي": "[ىي]", "ة": "[ةه]", "ه": "[ةه]"}
_DIACRITICS = "[\u064b-\u065f\u0670]*"
# Between the letters of an initialism: أ ش أ, أ.ش.أ, أ. ش. أ, ا,ف,ب. At least one
# separator, so that e.g. و م ع never matches the word ومع.
_INITIAL_SEP = r"(?:\s*[.,]\s*|\s+)"


def _word_pattern(word: str) -> str:
    return "".join(_LETTER_CLASS.get(ch, re.escape(ch)) + _DIACRITICS for ch in word)


def _form_pattern(form: str) -> str:
    words = form.split()
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return _INITIAL_SEP.join(_word_pattern(w) for w in words)
    return r"\s+".join(_word_pattern(w) for w in words)


def _key(printed: str) -> str:
    """Spelling- and separator-blind key of a printed form: 'أ.ش.أ' and 'ا ش ا' -> 'اشا'."""
    return re.sub(r"\W", "", search_key(printed))


_CODE_BY_KEY: dict[str, str] = {}
for _entry in _REGISTRY["agencies"]:
    for _form in _entry["forms"]:
        _CODE_BY_KEY.setdefault(_key(_form), _entry["code"])

_FORMS = sorted((f for e in _REGISTRY["agencies"] for f in e["forms"]), key=len, reverse=True)
# Longest form first, so that "وكالة رويترز" wins over "رويترز" at the same position.
# A hashtag (#سونا) is an agency as printed at the foot of some articles.
AGENCY_RE = re.compile(r"(?<!\w)#?(?:" + "|".join(map(_form_pattern, _FORMS)) + r")(?!\w)")


_BRACKETS = " ()[]{}«»\"“”'/-–—:."


@dataclass(frozen=True)
class AgencyMatch:
    code: str
    text: str  # as printed
    start: int
    end: int


def find_agencies(text: str) -> list[AgencyMatch]:
    """Every agency name printed in text (a cleaned line), left to right, with its code.

    >>> [(m.code, m.text) for m in find_agencies("نقلت وكالة رويترز و(أ.ف.ب) الخبر")]
    [('REUTERS', 'وكالة رويترز'), ('AFP', 'أ.ف.ب')]
    """
    return [AgencyMatch(_CODE_BY_KEY[_key(m[0])], m[0], m.start(), m.end()) for m in AGENCY_RE.finditer(text)]


def lookup(printed: str | None) -> str | None:
    """The code of a printed agency form ('أ.ش.أ', '(رويترز)', 'وكالة الصحافة الفرنسية'), else None.
    Exported as ``akhbar.text.agency_code``.

    >>> lookup("أ.ش.أ"), lookup("(رويترز)"), lookup("وكالة الصحافة الفرنسية")
    ('MENA', 'REUTERS', 'AFP')
    >>> lookup("الأهرام") is None
    True
    """
    match = AGENCY_RE.fullmatch(clean_text(printed).strip(_BRACKETS))
    return _CODE_BY_KEY[_key(match[0])] if match else None
