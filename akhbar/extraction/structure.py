"""Class-independent evidence about a page's regions: image captions, comment zones, the
article's scope, footer lines and reading chips.

A redesign renames every class and id of a page; what stays is its structure (an image and the
short line bound to it, a form with a text area, the block holding the headline and the story's
first paragraph) and the shape of its text (a sentence, a ``© 2020`` line, ``2min``). Every
function here reads only those: pure functions over the lxml tree the engine parses (plain
``etree`` elements: comments and processing instructions appear as nodes whose ``tag`` is not a
string). Class words may still be used by the caller as an extra hint, never here.

``texts``, where a function takes it, is ``dom.subtree_texts(root)`` (every element's text, made
in one pass): given, no element's text is read twice.
"""

from __future__ import annotations

import re
from typing import Iterable

from akhbar.extraction.dom import BLOCK, NO_TEXT, text_of
from akhbar.text import clean_text

# --- shapes of text -------------------------------------------------------------------------

# A caption is a label, not a paragraph: at most this many words / characters.
CAPTION_MAX_WORDS = 25
CAPTION_MAX_CHARS = 200
# A paragraph of the story (a "sentence run"): at least this many words.
SENTENCE_RUN_WORDS = 12
# A chip (reading time, share count) is a few characters: digits and a unit.
CHIP_MAX_WORDS = 3
CHIP_MAX_CHARS = 20
# A prompt opening a comment zone ("أضف تعليق", "Leave a reply") is a few words.
PROMPT_MAX_WORDS = 6
PROMPT_MAX_CHARS = 200  # raw characters (with markup whitespace) read before counting words
# A footer line (copyright, "powered by") is short; a paragraph quoting those words is not.
FOOTER_LINE_MAX_WORDS = 20
# Levels climbed from an image to find the block that holds it alone (img in a link in a div).
IMAGE_BLOCK_LEVELS = 3
# Text (characters) a comment zone may hold around its form: a prompt, a "your comment was sent"
# notice, a policy line; a region holding more is the page around the zone.
ZONE_EXTRA_CHARS = 400
# A form holding more text than this (or the headline) wraps the page (ASP.NET pages put all of
# it in one form), not a comment box: only a text area inside it can be one.
FORM_MAX_CHARS = 1500

_WORD = re.compile(r"[^\W_]+", re.U)
_DIGIT = re.compile(r"\d")
# A date or a time (``12:09``, ``2020/12/25``, ``24.08.2020``) or a year: no chip, a date line.
_DATE_OR_TIME = re.compile(r"\d\s*[:/]\s*\d|\d[.-]\d+[.-]\d|\b\d{4}\b")
# Sentence-final punctuation: a caption is a label and rarely ends with one.
_SENTENCE_END = re.compile(r"[.!?؟…]\s*[\"'»”)]*\s*$")
# Comment vocabulary (Arabic with its clitics: التعليقات, لتعليقك, وتعليق ...; English).
COMMENT_WORDS = re.compile(
    r"(?<![^\W\d_])(?:ب|ل|و|ف)?(?:ال)?(?:تعليق|تعليقات|تعليقك|تعليقاتكم|التعليقات|مشاركاتك|النقاش)(?![^\W\d_])"
    r"|\bcomments?\b|\bleave a reply\b|\breplies\b", re.I)
# Lines a site prints in its footer, whatever its markup.
_FOOTER_LINE = re.compile(
    r"©|&copy;|\bcopyright\b|\(c\)\s*\d{4}|\ball rights reserved\b|\bpowered by\b"
    r"|(?:جميع|كل)\s+الحقوق\s+محفوظة|حقوق\s+(?:النشر|الطبع)\s+محفوظة", re.I)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_PROMPT_TAGS = _HEADINGS | {"legend", "label", "span", "strong", "b", "p", "div"}
_TEXT_INPUTS = frozenset({"", "text", "email", "url"})


def words(text: str) -> int:
    return len(_WORD.findall(text))


def is_sentence_run(text: str) -> bool:
    """A line long enough to be a paragraph of the story (not a label, chip or caption)."""
    return words(text) >= SENTENCE_RUN_WORDS


def caption_shaped(text: str) -> bool:
    """Short text that can be an image's label: some words, no paragraph."""
    text = clean_text(text)
    return bool(text) and len(text) <= CAPTION_MAX_CHARS and words(text) <= CAPTION_MAX_WORDS


def is_chip(text: str) -> bool:
    """A reading-time or count chip (``2min``, ``3 دقائق قراءة``, ``1.2K``): a few characters,
    digits with a unit, no date or time (those are date lines, read elsewhere)."""
    text = clean_text(text)
    return (0 < len(text) <= CHIP_MAX_CHARS and len(text.split()) <= CHIP_MAX_WORDS
            and _DIGIT.search(text) is not None and _DATE_OR_TIME.search(text) is None)


def is_footer_line(text: str) -> bool:
    """A copyright or "powered by" line: the site's footer, never the story."""
    text = clean_text(text)
    return bool(text) and words(text) <= FOOTER_LINE_MAX_WORDS and _FOOTER_LINE.search(text) is not None


def mentions_comments(text: str) -> bool:
    return COMMENT_WORDS.search(text) is not None


def is_comment_prompt(text: str) -> bool:
    """A short line naming the comments (``التعليقات``, ``أضف تعليق``, ``3 Comments``)."""
    text = clean_text(text)
    return bool(text) and words(text) <= PROMPT_MAX_WORDS and mentions_comments(text)


# --- small tree helpers ---------------------------------------------------------------------

def _is_element(node) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _text(el, texts: dict | None) -> str:
    if texts is not None:
        text = texts.get(el)
        if text is not None:
            return text
    return text_of(el)


def _next_element(el):
    nxt = el.getnext()
    while nxt is not None and (not _is_element(nxt) or nxt.tag in NO_TEXT or nxt.tag in ("br", "hr")):
        nxt = nxt.getnext()
    return nxt


def _previous_element(el):
    prev = el.getprevious()
    while prev is not None and (not _is_element(prev) or prev.tag in NO_TEXT or prev.tag in ("br", "hr")):
        prev = prev.getprevious()
    return prev


def _has_more_than(el, tag: str, n: int) -> bool:
    """Whether ``el`` holds more than ``n`` ``tag`` elements (stops counting there)."""
    count = 0
    for _ in el.iter(tag):
        count += 1
        if count > n:
            return True
    return False


def _text_holder(block, text: str, texts: dict | None, skip=None):
    """The deepest element of ``block`` holding all of its (cleaned) ``text``: the caption's
    own element, not the block that also holds the image."""
    holder = block
    while True:
        children = [c for c in holder if _is_element(c) and c.tag not in NO_TEXT and c is not skip
                    and clean_text(_text(c, texts))]
        if len(children) != 1 or clean_text(_text(children[0], texts)) != text:
            return holder
        holder = children[0]


# --- captions -------------------------------------------------------------------------------

def caption_of(img, texts: dict | None = None):
    """The element holding the caption bound to ``img``, or None.

    Bound by structure, whatever the classes: the ``figcaption`` of its ``figure``; the short
    text that is the only text of the block holding the image alone (``<div><img><br><span>
    caption</span></div>``); the short block right after the image-only block in the same parent
    (with no sentence-final punctuation: a short paragraph of the story ends with one), or right
    before or after it when it repeats the image's ``alt``/``title``. A heading or a paragraph of
    the story is never a caption.
    """
    alts = {clean_text(img.get(a) or "") for a in ("alt", "title")} - {""}
    node = img
    for _ in range(IMAGE_BLOCK_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if parent.tag == "figure":
            caption = next(parent.iter("figcaption"), None)
            if caption is not None and clean_text(_text(caption, texts)):
                return caption
        if _has_more_than(parent, "img", 1):
            if node is img:
                return None  # a row of images: none has a label of its own
            break
        text = clean_text(_text(parent, texts))
        if text:
            if caption_shaped(text) and parent.tag not in _HEADINGS and not is_sentence_run(text):
                holder = _text_holder(parent, text, texts, skip=node)
                if holder.tag in _HEADINGS or holder.tag == "h1":
                    return None
                return holder
            if node is img:
                return None  # an image inside a paragraph: the text is the story's
            break  # the image-only block ``node`` stands among the story's paragraphs
        node = parent
    # ``node``: the image-only block; a caption may stand beside it.
    after, before = _next_element(node), _previous_element(node)
    for sibling, needs_alt in ((after, False), (before, True)):
        if sibling is None or sibling.tag in _HEADINGS or sibling.tag == "h1" or next(sibling.iter("img"), None) is not None:
            continue
        text = clean_text(_text(sibling, texts))
        if not text or not caption_shaped(text):
            continue
        if text in alts or (not needs_alt and _SENTENCE_END.search(text) is None):
            return _text_holder(sibling, text, texts)
    return None


def image_captions(root, texts: dict | None = None) -> set:
    """Every caption element of the page: ``figcaption`` elements and the caption bound to each
    image (``caption_of``)."""
    found = {el for el in root.iter("figcaption")}
    for img in root.iter("img"):
        caption = caption_of(img, texts)
        if caption is not None:
            found.add(caption)
    return found


# --- comment zones --------------------------------------------------------------------------

def _is_comment_form(el, texts: dict | None = None) -> bool:
    """A ``textarea``, or a ``form`` with a text area, or one with text inputs whose own text
    names comments (a search or newsletter form has one input and names none)."""
    if el.tag == "textarea":
        return True
    if next(el.iter("h1"), None) is not None or len(_text(el, texts)) > FORM_MAX_CHARS:
        return False
    if next(el.iter("textarea"), None) is not None:
        return True
    inputs = [i for i in el.iter("input") if (i.get("type") or "").lower() in _TEXT_INPUTS]
    return bool(inputs) and mentions_comments(_text(el, texts) + " " + " ".join(
        i.get("placeholder") or "" for i in inputs))


def _zone_root(el, texts: dict | None):
    """The region around a comment form: its ancestors as long as they add little text (a
    prompt, a notice) and hold no headline."""
    node, size = el, len(clean_text(_text(el, texts)))
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or next(parent.iter("h1"), None) is not None:
            return node
        parent_size = len(clean_text(_text(parent, texts)))
        if parent_size > size + ZONE_EXTRA_CHARS:
            return node
        node = parent


def _following(el) -> list:
    return [s for s in el.itersiblings() if _is_element(s)]


def comment_zones(root, texts: dict | None = None) -> set:
    """Elements that open a comment zone; an element inside one of them is not the story.

    - the region around a comment form (``_zone_root``) and every element after it in its
      parent (the comments list, the comment protocol);
    - a short prompt naming the comments (``التعليقات``, ``أضف تعليق``) that a comment form
      follows (in its parent, or its parent's parent): the prompt and what follows it.
    """
    zones: set = set()
    forms = [el for el in root.iter("textarea", "form") if _is_comment_form(el, texts)]
    for form in forms:
        zone = _zone_root(form, texts)
        zones.add(zone)
        zones.update(_following(zone))
    if not forms:
        return zones
    form_set = set(forms)
    for el in root.iter(*_PROMPT_TAGS):
        if el in zones:
            continue
        text = _text(el, texts)
        if len(text) > PROMPT_MAX_CHARS or not is_comment_prompt(text):
            continue
        node = el
        for _ in range(2):  # the prompt, or the block holding it, then the form
            after = _following(node)
            if any(f in form_set for s in after for f in s.iter("textarea", "form")):
                zones.add(node)
                zones.update(after)
                break
            node = node.getparent()
            if node is None or node.tag in ("body", "html"):
                break
    return zones


def in_zone(el, zones: set) -> bool:
    return any(node in zones for node in (el, *el.iterancestors()))


def precedes_zone(node, zones: set) -> bool:
    """Whether the next element after ``node`` is (or holds) a comment zone: a comment policy
    stands right before the comment widget."""
    nxt = _next_element(node)
    if nxt is None or not zones:
        return False
    return nxt in zones or any(nxt in set(z.iterancestors()) for z in zones)


# --- the article's scope ----------------------------------------------------------------------

def headline_element(root, titles: Iterable[str] = ()):
    """The page's ``h1`` that is the story's headline: the one whose text the metadata title
    holds (or holds it), else the first not in a header/footer/nav region; None without one."""
    titles = [t for t in titles if t]
    candidates = []
    for h1 in root.iter("h1"):
        if any(a.tag in ("footer", "nav", "aside") for a in h1.iterancestors()):
            continue
        text = clean_text(text_of(h1))
        if not text:
            continue
        candidates.append(h1)
        if any(text in t or t in text for t in titles):
            return h1
    return candidates[0] if candidates else None


def common_ancestor(a, b):
    ancestors = {a, *a.iterancestors()}
    node = b
    while node is not None and node not in ancestors:
        node = node.getparent()
    return node


def article_scope(h1, lead):
    """The element holding both the headline and the story's first paragraph: the story's own
    block. A line outside it (a header, a sibling column, a dialog after the page, the footer)
    is not the story. None when that block is the whole page (nothing to tell apart)."""
    if h1 is None or lead is None:
        return None
    scope = common_ancestor(h1, lead)
    if scope is None or scope.tag in ("html", "body"):
        return None
    return scope


def in_scope(el, scope) -> bool:
    return el is scope or any(a is scope for a in el.iterancestors())


# --- link lists ------------------------------------------------------------------------------

# A block whose text is mostly link text is a list of links (related stories, tags, a menu).
LINK_DENSE_SHARE = 0.6


def in_link_block(el, line: str, texts: dict | None = None) -> bool:
    """Whether a short line (no sentence run) sits beside links that make most of the text of
    its block: a related story's date or label, a menu entry, not the story."""
    if is_sentence_run(line) or any(a.tag == "a" for a in (el, *el.iterancestors())):
        return False
    block = el.getparent()
    if block is None:
        return False
    total = len(clean_text(_text(block, texts)))
    if not total:
        return False
    linked = sum(len(clean_text(_text(a, texts))) for a in block.iter("a")
                 if not any(p.tag == "a" for p in a.iterancestors()))
    return linked >= LINK_DENSE_SHARE * total


# --- the story's run ------------------------------------------------------------------------

def _run_key(el):
    """The container of the paragraph an element belongs to (the parent of its block)."""
    node = el
    while node is not None and node.tag not in BLOCK:
        node = node.getparent()
    if node is None:
        return None
    return node.getparent()


def comment_tail_start(lines: list[tuple[str, object]]) -> int:
    """Where a comment notice at the end of the main text starts (``len(lines)`` if none).

    The story's paragraphs run in one container (the one holding most of its text). Lines after
    the last one of that container, in another block, from the first that names comments on
    (``... مراجعة التعليقات قبل نشرها``, ``الآراء الواردة أدناه ...``), are the comment zone's
    notice; a paragraph of the story that mentions comments sits in the run and is kept.
    ``lines``: (text, element or None) in page order.
    """
    sizes: dict = {}
    keys = []
    for text, el in lines:
        key = _run_key(el) if el is not None else None
        keys.append(key)
        if key is not None:
            sizes[key] = sizes.get(key, 0) + len(text)
    if not sizes:
        return len(lines)
    main = max(sizes, key=sizes.get)
    start = len(lines)
    while start > 0 and keys[start - 1] is not main and keys[start - 1] is not None:
        start -= 1
    for i in range(start, len(lines)):
        if mentions_comments(lines[i][0]):
            return i
    return len(lines)


# --- inline story cards ------------------------------------------------------------------------

# A paragraph of the story's text: this many characters at least.
_STORY_PARAGRAPH_CHARS = 100
# Text a story card may hold besides its link: a photo credit, a label.
_CARD_OTHER_CHARS = 80


def inline_cards(root) -> set:
    """Story cards injected between the paragraphs of the story's text (one link to another
    story, maybe its picture and a credit): blocks standing between two paragraphs of the
    container that holds most of the story's paragraphs. Such a card has no heading of its own
    (its ``block`` is ``""``): the nearest heading before it belongs to the page, not to it."""
    counts: dict = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is not None and len(clean_text(text_of(p))) >= _STORY_PARAGRAPH_CHARS:
            counts[parent] = counts.get(parent, 0) + 1
    if not counts:
        return set()
    container, paragraphs = max(counts.items(), key=lambda kv: kv[1])
    if paragraphs < 2:
        return set()
    cards = set()
    children = [c for c in container if _is_element(c)]
    for i, child in enumerate(children[1:-1], start=1):
        if child.tag == "p" or not _story_paragraph(children[i - 1]) or not _story_paragraph(children[i + 1]):
            continue
        links = [a for a in child.iter("a") if a.get("href")]
        if len({a.get("href").strip() for a in links}) != 1:
            continue  # one story (its picture and its title may both link to it)
        other = len(clean_text(text_of(child))) - sum(len(clean_text(text_of(a))) for a in links)
        if other <= _CARD_OTHER_CHARS:
            cards.add(child)
    return cards


def _story_paragraph(el) -> bool:
    return el.tag == "p" and len(clean_text(text_of(el))) >= _STORY_PARAGRAPH_CHARS
