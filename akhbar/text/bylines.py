"""Person names of a byline: "كتب سيد الخلفاوى", "بقلم: أحمد علي ومحمد حسن",
"حسام أبو العلا - القاهرة", "كتب: رويترز" (an agency: no author)."""

import re

from akhbar.text.agencies import lookup
from akhbar.text.attribution import is_place
from akhbar.text.clean import clean_text

# The words around the names. "يكتب/تكتب" is the opinion-page form "خالد صلاح يكتب: ...".
_LABEL = r"(?:كتب|كتبت|كتبه|كتبها|بقلم|إعداد|اعداد|تقرير|تحرير|متابعة|ترجمة|حوار|تصوير|بواسطة|by)"
_LEADING_LABEL = re.compile(rf"^(?:{_LABEL}(?![\w])\s*[:：\-–—|/]*\s*)+", re.I)
_COLUMNIST = re.compile(r"^(.+?)\s+(?:يكتب|تكتب)\s*:")
# Parts of a byline: names, a place, the outlet, a date, split at punctuation.
_PARTS = re.compile(r"\s*(?:[\-–—|/:؛()\[\]]|،|,|\s&\s)\s*")


_MAX_CHARS = 1000  # a longer "byline" (a container matched by mistake) is read this far

# Given names that begin with و, so are not "and" + name.
_WAW_NAMES = frozenset("وليد وائل وجدي وجدى وحيد وسام وفاء وداد وهبة وهبه ولاء وئام وديع وصفي وصفى وفيق ورد وردة".split())


def _split_and(part: str) -> list[str]:
    """ "محمد علي وأحمد حسن" -> two names, but "أحمد وحيد" stays one: split at a word
    starting with و only where both sides are at least two words long."""
    words = part.split()
    for i in range(2, len(words) - 1):
        word = words[i]
        if word == "و" or (word.startswith("و") and len(word) > 2 and word not in _WAW_NAMES):
            right = words[i + 1 :] if word == "و" else [word[1:], *words[i + 1 :]]
            if len(right) >= 2:
                return [" ".join(words[:i]), *_split_and(" ".join(right))]
    return [part]


def parse_byline(text: str | None) -> list[str]:
    """Person names in printed order. Places, agencies, dates and the label words are dropped."""
    text = clean_text(text)
    if len(text) > _MAX_CHARS:  # a byline is a line: names are read at its start only
        text = text[: text.rfind(" ", 0, _MAX_CHARS) if " " in text[:_MAX_CHARS] else _MAX_CHARS]
    columnist = _COLUMNIST.match(text)
    if columnist:
        text = columnist[1]
    names: list[str] = []
    for part in _PARTS.split(text):
        part = _LEADING_LABEL.sub("", part).strip(" .")
        if not part or any(c.isdigit() for c in part):
            continue
        for name in _split_and(part):
            if lookup(name) or is_place(name) or name in names:
                continue
            names.append(name)
    return names
