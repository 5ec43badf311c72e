"""Cleaning as SCHEMA.md "Text" says, and the search-key normaliser.

Both run on every paragraph of every page. Most text holds none of the characters to
remove or fold, so one precompiled character class finds them and a precomputed table
replaces just those: about 5x faster than ``str.translate`` with a dict, which looks up
every character of Arabic text one by one.
"""

import re
import unicodedata

from w3lib.html import remove_tags, replace_entities

# Invisible characters that only steer rendering: zero-width space/joiners, LRM/RLM,
# Arabic letter mark, bidi embeddings/overrides/isolates, word joiner, soft hyphen, BOM.
_INVISIBLE = [0x00AD, 0x061C, 0x180E, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070)]
# Control characters that are not white space (NUL, ESC, DEL, C1 controls): mojibake or binary
# debris, never text; NUL is refused by PostgreSQL and XML. (White-space controls - tab, line
# breaks, U+001C-U+001F, U+0085 - are collapsed to a space like any other space.)
_CONTROLS = [*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x1C), *range(0x7F, 0x85), *range(0x86, 0xA0)]
_TATWEEL = "\u0640"


def _clean_table() -> dict[int, str]:
    table = {cp: "" for cp in (*_INVISIBLE, *_CONTROLS)}
    table[ord(_TATWEEL)] = ""
    # Presentation forms (contextual glyph codes some CMSs paste in) fold to the base
    # letters; NFKC is applied to these code points only, so the rest stays as printed.
    # A lam-alef ligature becomes two letters; isolated-haraka forms may carry a tatweel.
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        folded = unicodedata.normalize("NFKC", chr(cp))
        if folded != chr(cp):
            table[cp] = folded.replace(_TATWEEL, "")
    return table


_CLEAN = _clean_table()
_TO_CLEAN = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u061c\u0640\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufb50-\ufdff\ufe70-\ufeff]")


def _clean_char(match: re.Match) -> str:
    return _CLEAN.get(ord(match[0]), match[0])


# Line-breaking tags would otherwise glue the words on either side together.
_BREAK_TAG = re.compile(r"<\s*(?:br|hr|/?p|/?div|/?li|/?h[1-6]|/?td|/?tr)\b[^>]*>", re.I)

_SEARCH_FOLDS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"))
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]+")  # harakat, superscript alef


def clean_text(text: str | None) -> str:
    r"""Markup, entities, invisible and control characters and tatweel removed; presentation forms folded;
    white space (no-break spaces, line breaks too) collapsed to single spaces. Spelling kept.

    >>> clean_text("<p>وزير&nbsp;الري  يشهد\u200f افتتاح المحطـــة</p>")
    'وزير الري يشهد افتتاح المحطة'
    >>> clean_text(None)
    ''
    """
    if not text:
        return ""
    if "<" in text:
        text = remove_tags(_BREAK_TAG.sub(" ", text))
    if "&" in text:
        text = replace_entities(text)  # after remove_tags: a decoded "&lt;b&gt;" stays text
    # str.split() without arguments splits on every Unicode space, including U+00A0/U+202F.
    return " ".join(_TO_CLEAN.sub(_clean_char, text).split())


def search_key(text: str | None) -> str:
    """A matching key, not for storage: alef forms -> ا, ى -> ي, ة -> ه, diacritics stripped,
    Latin lowercased.

    >>> search_key("إعلان الهيئة العامة للاستثمار")
    'اعلان الهيئه العامه للاستثمار'
    >>> search_key("مُصطفى") == search_key("مصطفي")
    True
    """
    text = clean_text(text)
    for letter, base in _SEARCH_FOLDS:
        text = text.replace(letter, base)
    return _DIACRITICS.sub("", text).lower()
