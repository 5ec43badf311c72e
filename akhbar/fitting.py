"""Fit an outlet spider's selectors to its sample pages and their checked expected items.

For each fitted field (``FITTED_FIELDS``) the fit looks for the simplest selector that gives
exactly the expected value on EVERY sample page, as the extraction engine reads it:

- ``headline``, ``subheadline``, ``section``: the element's text is the expected value;
- ``published_at``: the element's text is the expected ``published_at_raw``;
- ``byline``: the texts of what it finds, read by ``parse_byline``, give the expected ``authors``;
- ``tags``: the texts of all it finds are the expected list;
- ``body``: the container whose paragraphs, read by the engine, are the expected body, and whose
  pictures are the expected ones after the lead picture;
- ``lead_image``: the image whose URL is the expected ``images[0].url``;
- ``lead_caption``: the element's text is the expected ``images[0].caption``;
- ``modified_meta``: the machine date (a ``meta`` tag's ``content``, a ``time``'s ``datetime``)
  the engine reads as the expected ``modified_at``;
- ``image_caption``: what it finds inside the body are the captions of the body's images
  (``images[1:]``), so they are neither body paragraphs nor lost (fitted before the body).

Candidates come from the element(s) holding the expected value, ranked by how well they are
likely to survive a redesign (``Tier``): the ``itemprop`` of the element or of a container; then
ids and classes that look semantic (the element's own, or a container's + the element's tag);
then paths anchored on the headline element or the body container; then absolute structural
paths; then metadata; a selector using a class or id word that looks generated (``css-1x2y3z``,
``sc-``/``jsx-`` prefixes, hashes, long digit or hex runs) ranks last. Within a tier, fewer steps
and a shorter text win. A candidate first passes a quick check of the values it finds on every
page (everything it finds is the expected value; on a page whose expected value is empty it finds
nothing), then is confirmed by running the engine (``extract``) with a throwaway spider class
carrying it: the item's field is the expected one and came from the selector on every page.

The spider's hand-written selectors of a field are kept when they already give the right value
on every page. A field no candidate fits is reported with the reason, never guessed.

Which links related lists count as stories is a regex of their URLs, not a selector:
``fit_story_links`` proposes a ``related_link`` (the shapes of the URLs the expected lists link,
generalised as genoutlet derives ``article_url``) where the spider's own does not give the
expected lists and the proposal does; ``rewrite_attribute`` writes it into the spider's class.

Where the pattern alone does not give the lists, their headings are fitted too
(``related_heading``: a selector of the elements whose text is each expected ``block``, ranked as
the other fields' candidates, with ``related_heading_levels``), and a pattern that lets in links
the lists leave out is narrowed by the path word those links share (``/category/``).

What no selector can say about the dates is a declaration of the spider (``DATE_DECLARATIONS``:
``printed_date_is_update``, ``metadata_date_wins``, ``metadata_clock_is_local``,
``timezone_from_metadata``): ``fit_dates`` tries them after the selectors, the fewest changed
from the engine's defaults first, until ``published_at``, ``published_at_raw`` and
``modified_at`` come out as expected on every page; ``write_declarations`` writes them.

A body container holding blocks that are not the story (a share bar, a "read also" box) is
fitted with them excluded (``FieldFit.exclude``, the spider's ``body_exclude``), each by its own
semantic class or id, where no container alone gives the body.

``fit(spider, samples)`` -> ``{field: FieldFit}``; ``load_samples`` reads sample pages and their
expected items (refusing drafts whose ``review`` list still names a field);
``rewrite_selectors(source, class_name, selectors)`` writes a ``selectors = {...}`` dict back
into a spider's source, leaving the rest of the file byte for byte.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
from dataclasses import dataclass, field as dataclass_field
from enum import IntEnum
from pathlib import Path
from typing import Iterable, Iterator

from scrapy.http import HtmlResponse

from akhbar.extraction import NotAnArticle, extract
from akhbar.extraction.dom import page_tree, text_of, value_of
from akhbar.extraction.config import DEFAULT_IMAGE_CAPTION
from akhbar.extraction.engine import FIELD_SELECTORS, METADATA, SELECTOR, _img_url
from akhbar.extraction.reading import picture_key
from akhbar.extraction.selecting import select, selector_problem
from akhbar.text import clean_text, parse_byline

# The selector keys fitted, in the order they are fitted: the body is read after the headline,
# kicker and byline are known (the engine drops them from the body), the lead image after the
# body (without one, a page's first image is the body's).
FITTED_FIELDS = ("headline", "subheadline", "section", "published_at", "byline", "tags", "image_caption",
                 "body", "lead_image", "lead_caption", "modified_meta")
# The expected item's fields each selector key is judged on.
JUDGED_ON = {
    "headline": ("headline",), "subheadline": ("subheadline",), "section": ("section",),
    "published_at": ("published_at_raw", "published_at"), "byline": ("authors", "agencies"),
    "tags": ("tags",), "body": ("body", "images"), "lead_image": ("images",), "lead_caption": ("images",),
    "image_caption": ("images",), "modified_meta": ("modified_at",),
}
# The item field whose expected value a key's candidates are looked for by.
_TARGET_FIELD = {"headline": "headline", "subheadline": "subheadline", "section": "section",
                 "published_at": "published_at_raw", "byline": "authors", "tags": "tags",
                 "body": "body", "lead_image": "images", "lead_caption": "images", "image_caption": "images",
                 "modified_meta": "modified_at"}
REVIEW_KEY = "review"  # the draft marker genoutlet writes (tests/test_outlets.py refuses it)

# How far above the element a container's itemprop / semantic class is looked for.
_ANCESTOR_LEVELS = 3
# How far up from the headline element (or body container) an anchored path may climb.
_ANCHOR_UP_LEVELS = 3
# The body's candidate containers: the smallest element holding its text and this many above it.
_BODY_CONTAINER_LEVELS = 2
# A byline is a line: longer texts are containers, not the byline element.
_BYLINE_MAX_CHARS = 200
# Candidates tried per field (confirmed with the engine in rank order; most fail the quick check).
_MAX_CANDIDATES = 400

# A class or id word that looks generated by a build tool rather than written by a person:
# CSS-in-JS prefixes, CSS-modules hashes (``title__3xYz1``), long digit runs, hex hashes.
_GENERATED_PREFIX = re.compile(r"^(?:css|sc|jsx|emotion|styled|svelte|tw)-", re.IGNORECASE)
# a hash after ``_``/``__`` has a digit; BEM's ``block__element`` words are a person's
_MODULE_HASH = re.compile(r"_(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{5,}$")
_DIGIT_RUN = re.compile(r"\d{4,}")
_HEX_RUN = re.compile(r"(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}", re.IGNORECASE)
_WORD_PIECE = re.compile(r"[-_]+")
_MIXED_PIECE_MIN = 5  # a piece of a word mixing letters and digits this long is a hash (a1b2c)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
_CSS_IDENT = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")
_CAPTION_ATTRIBUTES = ("title", "alt", "data-caption")  # where an image may carry its caption


class Tier(IntEnum):
    """How well a kind of selector survives change (lower is better)."""

    ITEMPROP = 0
    SEMANTIC = 1
    ANCHORED = 2
    STRUCTURAL = 3
    METADATA = 4
    GENERATED = 5


@dataclass(frozen=True)
class Sample:
    """One sample page: its URL, its bytes and its checked expected item."""

    url: str
    body: bytes
    expected: dict
    name: str = ""

    def response(self) -> HtmlResponse:
        return HtmlResponse(url=self.url, body=self.body, headers={"Content-Type": "text/html"})


@dataclass
class FieldFit:
    """What the fit found for one selector key: ``selectors`` (kept or fitted) or ``reason``."""

    field: str
    selectors: list[str] | None = None
    kept: bool = False
    reason: str | None = None
    tried: int = 0
    # body only: elements inside the container(s) that are not the story (a share bar, a
    # "read also" box), added to the spider's ``body_exclude``
    exclude: list[str] = dataclass_field(default_factory=list)

    @property
    def fitted(self) -> bool:
        return self.selectors is not None and not self.kept


@dataclass(frozen=True)
class Candidate:
    selector: str
    tier: Tier
    steps: int
    distance: int = 0  # levels between the element and the container the path names

    @property
    def rank(self) -> tuple:
        return (self.tier, self.steps, self.distance, len(self.selector), self.selector)


class DraftNotChecked(ValueError):
    """An expected item still under review (a draft): it cannot teach the fit anything."""


# --- generated words -----------------------------------------------------------------------
def looks_generated(word: str) -> bool:
    """A class or id word a build tool made (``css-1x2y3z``, ``sc-bdVaJa``, ``jsx-2138471``,
    ``Title_title__3xYz1``, ``a1b2c3d4``), not one a person named (``articleBody``, ``col-xs-8``)."""
    if _GENERATED_PREFIX.match(word) or _MODULE_HASH.search(word):
        return True
    if _DIGIT_RUN.search(word) or _HEX_RUN.search(word):
        return True
    for piece in _WORD_PIECE.split(word):
        if len(piece) >= _MIXED_PIECE_MIN and any(c.isdigit() for c in piece) and any(c.isalpha() for c in piece):
            return True
    return False


# --- samples ---------------------------------------------------------------------------------
def load_sample(page: Path, url: str | None, expected_file: Path) -> Sample:
    """A page and its expected item; ``DraftNotChecked`` when the item's review list names a field."""
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    left = expected.get(REVIEW_KEY)
    if left:
        raise DraftNotChecked(f"{expected_file}: a draft, not checked ({REVIEW_KEY!r} still names "
                              f"{', '.join(map(str, left)) if isinstance(left, list) else left!r})")
    return Sample(url=url or expected["url"], body=page.read_bytes(), expected=expected, name=page.name)


def default_sample_files(spider, own_pages: Path, corpus_dir: Path | None) -> list[tuple[Path, Path]]:
    """(page, expected item) pairs the data-driven test pairs for the spider's domains: the
    project's own pages ``tests/pages/<host>/`` and the shared corpus's
    ``corpus/expected/<host>/`` (where present)."""
    pairs = []
    if own_pages.is_dir():
        for folder in sorted(p for p in own_pages.iterdir() if p.is_dir() and spider.owns_domain(p.name)):
            pairs += [(e.with_suffix(".html"), e) for e in sorted(folder.glob("*.json"))]
    expected_dir = corpus_dir / "expected" if corpus_dir is not None else None
    if expected_dir is not None and expected_dir.is_dir():
        for folder in sorted(p for p in expected_dir.iterdir() if p.is_dir() and spider.owns_domain(p.name)):
            for expected in sorted(folder.glob("*.json")):
                data = json.loads(expected.read_text(encoding="utf-8"))
                pairs.append((corpus_dir / (data.get("file") or f"{folder.name}/{expected.stem}.html"), expected))
    return pairs


# --- the fit ---------------------------------------------------------------------------------
def fit(spider, samples: list[Sample], fields: Iterable[str] = FITTED_FIELDS,
        refit: Iterable[str] = ()) -> dict[str, FieldFit]:
    """Per selector key of ``fields``: the spider's own selectors where they already give the
    expected value on every sample page (``kept``; never for a key of ``refit``), else the
    best-ranked candidate that does (``fitted``), else the reason none does."""
    if not samples:
        raise ValueError("no sample page to fit on")
    fields = [f for f in FITTED_FIELDS if f in set(fields)]
    refit = set(refit)
    declared = {k: ([v] if isinstance(v, str) else list(v)) for k, v in (getattr(spider, "selectors", None) or {}).items()
                if v and k not in refit}
    results: dict[str, FieldFit] = {}
    working = dict(declared)  # the selectors as fitted so far (the declared ones for the rest)
    pages = [_Page(s) for s in samples]
    anchors = _Anchors()

    def fit_one(key: str, exclusions: bool = True) -> FieldFit:
        nonlocal spider
        if declared.get(key) and _judge_all(with_selectors(spider, working), samples, [key])[key] is None:
            result = FieldFit(key, list(declared[key]), kept=True)
        else:
            working.pop(key, None)  # stale or absent: the reader chain fills it while others are fitted
            result = _fit_key(spider, key, pages, samples, working, anchors, exclusions)
        if result.selectors:
            working[key] = list(result.selectors)
            _note_anchor(anchors, key, result.selectors, pages)
        if result.exclude:  # the rest is fitted with them, as the spider will read its pages
            spider = with_body_exclude(spider, result.exclude)
        return result

    if "body" in fields:
        # The body first, where it can be: every engine run without a body selector reads the
        # page's main text (trafilatura), the slowest step by far. Where it needs the fields read
        # before it (a byline or captions inside its container, or exclusions), it is fitted
        # again in its turn.
        early = fit_one("body", exclusions=False)
        if early.selectors:
            results["body"] = early
    for key in fields:
        if key not in results:
            results[key] = fit_one(key)
    return {key: results[key] for key in fields}


def fitted_selectors(spider, results: dict[str, FieldFit]) -> dict[str, list[str]]:
    """The spider's ``selectors`` with the fit applied: declared keys in their order, fitted
    ones replaced (or added after), unfittable ones left as declared."""
    declared = dict(getattr(spider, "selectors", None) or {})
    out = {k: ([v] if isinstance(v, str) else list(v)) for k, v in declared.items()}
    for key, result in results.items():
        if result.selectors:
            out[key] = list(result.selectors)
    return out


def with_selectors(spider, selectors: dict) -> type:
    """A throwaway subclass of the spider carrying ``selectors`` (nothing else changed)."""
    base = spider if isinstance(spider, type) else type(spider)
    return type(f"Fitting{base.__name__}", (base,), {"selectors": selectors})


def judge(spider, samples: list[Sample], keys: Iterable[str]) -> dict[str, str | None]:
    """Per selector key: None when, on every sample page, the engine with this spider gives the
    expected value of the key's fields from the key's selectors; else what went wrong (first page)."""
    return _judge_all(spider, samples, list(keys))


class _Page:
    """A sample page parsed once (the tree the engine reads)."""

    def __init__(self, sample: Sample):
        self.sample = sample
        self.response = sample.response()
        self.tree = page_tree(self.response)
        self.root = self.tree.root
        self.expected = sample.expected
        self.name = sample.name or sample.url

    def judged(self, key: str) -> bool:
        """The expected item states this key's target field (and does not call it ambiguous)."""
        target = _TARGET_FIELD[key]
        return target in self.expected and target not in set(self.expected.get("ambiguous") or [])

    def target(self, key: str):
        value = self.expected.get(_TARGET_FIELD[key])
        if key == "lead_image":
            return (value or [{}])[0].get("url") if value else None
        if key == "lead_caption":
            return (value or [{}])[0].get("caption") if value else None
        if key == "image_caption":  # the captions of the body's images, once each
            return list(dict.fromkeys(i["caption"] for i in (value or [])[1:] if i.get("caption")))
        return value


@dataclass
class _Anchors:
    """Elements and selectors other fields are anchored on: the headline element, the body container."""

    headline: dict = dataclass_field(default_factory=dict)  # page index -> element
    body: dict = dataclass_field(default_factory=dict)
    headline_selectors: list = dataclass_field(default_factory=list)
    body_selectors: list = dataclass_field(default_factory=list)


def _note_anchor(anchors: _Anchors, key: str, selectors: list[str], pages: list[_Page]) -> None:
    if key not in ("headline", "body"):
        return
    for index, page in enumerate(pages):
        for selector in selectors:
            found = [e for e in select(page.root, selector, page.tree) if _is_element(e)]
            if found:
                (anchors.headline if key == "headline" else anchors.body)[index] = found[0]
                break
    plain = [s for s in selectors if "::" not in s and not s.startswith(("/", "(", "./"))]
    if key == "headline":
        anchors.headline_selectors = plain
    else:
        anchors.body_selectors = plain


def _fit_key(spider, key: str, pages: list[_Page], samples: list[Sample], working: dict,
             anchors: _Anchors, exclusions: bool = True) -> FieldFit:
    judged = [(i, p) for i, p in enumerate(pages) if p.judged(key)]
    if key == "lead_caption":
        # read only where the lead_image selectors find the lead image (elsewhere the first
        # image and its caption are the body's)
        lead = working.get("lead_image") or []
        judged = [(i, p) for i, p in judged if any(select(p.root, s, p.tree) for s in lead)]
        if not judged:
            return FieldFit(key, reason="no sample page's lead image is found by a lead_image selector")
    with_value = [(i, p) for i, p in judged if p.target(key)]
    if not with_value:
        return FieldFit(key, reason="no sample page's expected item gives it a value")
    candidates: dict[str, Candidate] = {}
    missing = []
    if key == "modified_meta":
        for _, page in with_value:
            candidates.update((c.selector, c) for c in _machine_date_candidates(page))
        with_value = []  # no element to look for: the engine reads each candidate's date
    for index, page in with_value:
        targets = list(_targets(key, page))
        if not targets:
            missing.append(page.name)
            continue
        for element in targets:
            attribute = (_image_attribute(element, page, page.target(key)) if key == "lead_image"
                         else _caption_attribute(element, page.target(key)) if key == "lead_caption" else "")
            for candidate in _candidates(element, page, anchors, index, key):
                if attribute:  # the URL is in another attribute than the one the engine reads
                    candidate = _reading_attribute(candidate, attribute)
                known = candidates.get(candidate.selector)
                if known is None or candidate.rank < known.rank:
                    candidates[candidate.selector] = candidate
    if not candidates and key == "modified_meta":
        return FieldFit(key, reason="no meta tag or time element of the sample pages holds a date of that year")
    if missing:
        return FieldFit(key, reason=f"the expected value is held by no element of {', '.join(missing)} "
                                    f"(it is not one element's text there)")
    ranked = sorted(candidates.values(), key=lambda c: c.rank)[:_MAX_CANDIDATES]
    found, tried, first_miss = _first_passing(spider, key, ranked, judged, samples, working)
    if found is None and key == "body":
        # the story split in two containers (a lead block, then the text): both, as one list
        pairs = sorted(_body_pairs(with_value, anchors), key=lambda c: c.rank)[:_MAX_CANDIDATES]
        found, more, _ = _first_passing(spider, key, pairs, judged, samples, working)
        tried += more
    if found is not None:
        return FieldFit(key, _selector_list(key, found.selector), tried=tried)
    if key == "body" and exclusions:
        # a container holding the story and a few blocks that are not (share bars, a "read also"
        # box, the tags): the container, with those blocks excluded by their own class or id
        with_exclusions = _body_with_exclusions(spider, ranked, judged, samples, working)
        if with_exclusions is not None:
            container, exclude = with_exclusions
            return FieldFit(key, [container.selector], tried=tried, exclude=exclude)
    return FieldFit(key, reason=f"none of {tried} candidate selectors gives exactly the expected value on "
                                f"every sample page (the best-ranked, {first_miss})", tried=tried)


def with_body_exclude(spider, exclude: list[str]) -> type:
    """A throwaway subclass of the spider whose ``body_exclude`` also has ``exclude``."""
    base = spider if isinstance(spider, type) else type(spider)
    own = list(getattr(base, "body_exclude", None) or [])
    return type(f"Fitting{base.__name__}", (base,), {"body_exclude": own + [e for e in exclude if e not in own]})


# Body containers (best-ranked first) tried with exclusions, and the most blocks excluded.
_EXCLUSION_CONTAINERS = 6
_MAX_EXCLUSIONS = 6


def _body_with_exclusions(spider, ranked, judged, samples, working):
    """(a body container, the selectors of the blocks inside it that are not the story) giving
    the expected body on every page, or None. A container qualifies where the expected
    paragraphs are, in order, among its own; each extra paragraph's block (the largest element
    in the container holding it and no expected paragraph) must have a semantic class or id."""
    pages = [p for _, p in judged]
    tried = 0
    for candidate in ranked:
        if tried >= _EXCLUSION_CONTAINERS:
            break
        if candidate.selector.startswith(("/", "(")) or _quick_miss("body", candidate.selector, pages) is not None:
            continue
        tried += 1
        trial = with_selectors(spider, {**working, "body": [candidate.selector]})
        chosen: dict[str, None] = {}
        for page in pages:
            want = [" ".join(p.split()) for p in page.target("body") or []]
            try:
                got = [" ".join(p.split()) for p in extract(page.sample.response(), trial).item.get("body") or []]
            except NotAnArticle:
                chosen = {}
                break
            if not _in_order(want, got):
                chosen = {}
                break
            containers = _outermost([e for e in select(page.root, candidate.selector, page.tree) if _is_element(e)])
            for extra in dict.fromkeys(t for t in got if t not in set(want)):
                selector = _exclusion_for(containers, extra, want)
                if selector is None:
                    chosen = {}
                    break
                chosen[selector] = None
            else:
                continue
            break
        if not chosen or len(chosen) > _MAX_EXCLUSIONS:
            continue
        exclude = list(chosen)
        confirmed = with_body_exclude(with_selectors(spider, {**working, "body": [candidate.selector]}), exclude)
        if _judge_all(confirmed, samples, ["body"])["body"] is None:
            return candidate, exclude
    return None


def _in_order(want: list[str], got: list[str]) -> bool:
    """Every paragraph of ``want`` is in ``got``, in the same order."""
    rest = iter(got)
    return all(any(paragraph == g for g in rest) for paragraph in want)


def _exclusion_for(containers: list, extra: str, want: list[str]) -> str | None:
    """The selector of the block holding the paragraph ``extra`` inside the containers: the
    largest element holding it and no paragraph of the story, by its own semantic class or id
    (or the nearest such element between it and the paragraph)."""
    for container in containers:
        holding = [el for el in container.iter() if _is_element(el) and el is not container
                   and extra in " ".join(clean_text(text_of(el)).split())]
        if not holding:
            continue
        deepest = [el for el in holding if not any(c in holding for c in el if _is_element(c))]
        path = []  # from the paragraph's element up to the largest block without story text
        node = deepest[0]
        while node is not None and node is not container:
            text = " ".join(clean_text(text_of(node)).split())
            if any(paragraph in text for paragraph in want):
                break
            path.append(node)
            node = node.getparent()
        for el in reversed(path):
            for compound, _ in _own_compounds(el):
                return compound
        return None
    return None


def _selector_list(key: str, selector: str) -> list[str]:
    """The selectors a fitted candidate is written as. Declared, ``image_caption`` replaces the
    engine's default caption elements (``figcaption``, ``[class*='caption']`` ...): they are kept
    after the outlet's own, since one page's captions teach nothing about another's figures."""
    if key == "image_caption" and selector != DEFAULT_IMAGE_CAPTION:
        return [selector, DEFAULT_IMAGE_CAPTION]
    return [selector]


def _reading_attribute(candidate: Candidate, attribute: str) -> Candidate:
    if candidate.selector.startswith(("/", "(")):
        return Candidate(f"{candidate.selector}/@{attribute}", candidate.tier, candidate.steps, candidate.distance)
    return Candidate(f"{candidate.selector}::attr({attribute})", candidate.tier, candidate.steps, candidate.distance)


def _first_passing(spider, key, ranked, judged, samples, working):
    """(the first candidate giving the expected value on every page, how many were tried, why
    the best-ranked one failed)."""
    tried = 0
    first_miss = None
    for candidate in ranked:
        if selector_problem(candidate.selector) is not None:
            continue  # a name no selector can spell (an attribute with a colon)
        tried += 1
        miss = _quick_miss(key, candidate.selector, [p for _, p in judged])
        if miss is None:
            trial = with_selectors(spider, {**working, key: _selector_list(key, candidate.selector)})
            miss = _judge_all(trial, samples, [key]).get(key)
            if miss is None:
                return candidate, tried, None
        first_miss = first_miss or f"{candidate.selector!r}: {miss}"
    return None, tried, first_miss


# Pair candidates of a split body: this many best of each part are combined.
_BODY_PART_CANDIDATES = 12


def _body_pairs(with_value, anchors: _Anchors) -> Iterator[Candidate]:
    """``first, second`` candidates: the container of the body's first paragraph and the one of
    its last, each by its own CSS (the engine reads every container a selector list finds, in
    page order)."""
    for index, page in with_value:
        paragraphs = [" ".join(p.split()) for p in page.target("body") if p]
        if len(paragraphs) < 2:
            continue
        parts = []
        for paragraph in (paragraphs[0], paragraphs[-1]):
            holding = [el for el in page.root.iter() if _is_element(el) and _holds(el, paragraph, paragraph)]
            deepest = [el for el in holding if not any(_holds(c, paragraph, paragraph) for c in el if _is_element(c))]
            options: dict[str, Candidate] = {}
            for el in deepest:
                ancestor = el
                for _ in range(_BODY_CONTAINER_LEVELS + 1):
                    if ancestor is None or ancestor.tag in ("body", "html") or _holds(ancestor, paragraphs[0], paragraphs[-1]):
                        break
                    for candidate in _candidates(ancestor, page, anchors, index, "body"):
                        if not candidate.selector.startswith(("/", "(")) and candidate.selector not in options:
                            options[candidate.selector] = candidate
                    ancestor = ancestor.getparent()
            parts.append(sorted(options.values(), key=lambda c: c.rank)[:_BODY_PART_CANDIDATES])
        for first in parts[0]:
            for last in parts[1]:
                if first.selector != last.selector:
                    yield Candidate(f"{first.selector}, {last.selector}", max(first.tier, last.tier),
                                    first.steps + last.steps, first.distance + last.distance)


# --- the values a selector gives -------------------------------------------------------------
def _texts(page: _Page, selector: str) -> list[str]:
    return [t for t in (clean_text(value_of(i)) for i in select(page.root, selector, page.tree)) if t]


def _quick_miss(key: str, selector: str, pages: list[_Page]) -> str | None:
    """Why the selector does not give exactly the expected value on one of the pages (all it
    finds is the value; nothing where the value is empty), or None."""
    if key == "modified_meta":
        return None  # a date in another zone or form: the engine's reading decides
    for page in pages:
        want = page.target(key)
        if key == "body":
            found = [e for e in select(page.root, selector, page.tree) if _is_element(e)]
            if want and len(_outermost(found)) != selector.count(",") + 1:
                return f"{page.name}: {len(_outermost(found))} containers"
            if not want and found:
                return f"{page.name}: a container where the page has no body"
            continue
        if key == "lead_image":
            found = select(page.root, selector, page.tree)
            if not found:
                continue  # the page's first image is then the body's: the engine decides
            urls = {page.response.urljoin(u.strip()) for u in
                    (_img_url(i) if _is_element(i) else value_of(i) for i in found) if u and u.strip()}
            if urls != {want}:
                return f"{page.name}: {sorted(urls)[:3]}"
            continue
        texts = _texts(page, selector)
        if key == "image_caption":
            # every caption of the body's images found; nothing found that is no caption
            captions = {i.get("caption") for i in page.expected.get("images") or [] if i.get("caption")}
            if not set(texts) <= captions:
                return f"{page.name}: {texts[:3]}"
            continue
        if key == "byline":
            names = list(dict.fromkeys(n for t in texts for n in (parse_byline(t) or ())))
            if names != list(want or []):
                return f"{page.name}: names {names}"
        elif key == "tags":
            got = list(dict.fromkeys(texts))
            if got != list(want or []):
                return f"{page.name}: {got[:5]}"
        else:
            if not want:
                if texts:
                    return f"{page.name}: {texts[0]!r} where the page has none"
            elif not texts or any(t != want for t in texts):
                return f"{page.name}: {texts[:3]}"
    return None


def _judge_all(spider, samples: list[Sample], keys: list[str]) -> dict[str, str | None]:
    """Per key: None when the engine gives every judged field of the key right, from the key's
    selectors, on every page; else the first difference."""
    out: dict[str, str | None] = {k: None for k in keys}
    for sample in samples:
        try:
            extracted = extract(sample.response(), spider)
        except NotAnArticle as error:
            return {k: f"{sample.name}: not an article ({error.reason})" for k in keys}
        item = extracted.item
        ambiguous = set(sample.expected.get("ambiguous") or [])
        for key in keys:
            if out[key] is not None:
                continue
            for name in JUDGED_ON[key]:
                if name not in sample.expected or name in ambiguous:
                    continue
                want, got = sample.expected[name], item.get(name)
                if name == "images":
                    if key == "body" and extracted.sources.get("images") == METADATA:
                        got = []  # the page's metadata picture, where the body gave none
                    want, got = _judged_images(key, want or [], got or [])
                if got != want:
                    out[key] = f"{sample.name}: {name} {got!r}, expected {want!r}"
                    break
                if want and key in FIELD_SELECTORS.get(name, ()) and extracted.sources.get(name) != SELECTOR:
                    out[key] = f"{sample.name}: {name} came from {extracted.sources.get(name)}, not the selector"
                    break
            if out[key] is None and any(key in FIELD_SELECTORS.get(f, ()) for f in extracted.fallbacks):
                out[key] = f"{sample.name}: the selector finds nothing, another reader gave the value"
    return out


def _judged_images(key: str, want: list[dict], got: list[dict]) -> tuple:
    """What a key is judged on in ``images``: the lead image's URL or caption; for
    ``image_caption`` the captions of the body's images (the expected ones the item also has, by
    URL: which images there are is the body's and the lead image's business)."""
    if key == "body":  # the pictures after the lead one are the body's: read in its container(s)
        lead = want[0].get("url") if want else None
        lead_key = picture_key(lead) if lead else None  # the lead picture in another size is the lead
        return (sorted({i.get("url") for i in want[1:]}),
                sorted({i.get("url") for i in got if i.get("url") != lead
                        and (lead_key is None or picture_key(i.get("url")) != lead_key)}))
    if key == "image_caption":
        got_captions = {i.get("url"): i.get("caption") for i in got[1:]}
        pairs = [(i.get("url"), i.get("caption")) for i in want[1:] if i.get("url") in got_captions]
        return pairs, [(url, got_captions[url]) for url, _ in pairs]
    part = "caption" if key == "lead_caption" else "url"
    return ((want or [{}])[0].get(part) if want else None), ((got or [{}])[0].get(part) if got else None)


# --- the elements holding the expected value ----------------------------------------------------
def _machine_date_candidates(page: _Page) -> Iterator[Candidate]:
    """The meta tags and ``time`` elements whose machine date has the expected date's year."""
    year = str(page.target("modified_meta"))[:4]
    for el in page.root.iter("meta"):
        if year in (el.get("content") or ""):
            for attr in ("name", "property", "itemprop"):
                if el.get(attr) and _plain_value(el.get(attr)):
                    yield _candidate(f"meta[{attr}='{el.get(attr)}']::attr(content)", Tier.METADATA, [])
    for el in page.root.iter("time"):
        if year in (el.get("datetime") or ""):
            for candidate in _candidates(el, page, _Anchors(), -1, "modified_meta"):
                if not candidate.selector.startswith(("/", "(")):
                    yield _reading_attribute(candidate, "datetime")


def _caption_attribute(el, want: str) -> str:
    """The attribute holding the caption where the element's text does not (an image's
    ``title``/``alt``), else ""."""
    if clean_text(text_of(el)) == want:
        return ""
    return next((name for name in _CAPTION_ATTRIBUTES if clean_text(el.get(name) or "") == want), "")


def _targets(key: str, page: _Page) -> Iterator:
    want = page.target(key)
    root = page.root
    if key == "lead_caption":  # an image may carry its caption as an attribute
        yield from (el for el in root.iter("img") if _caption_attribute(el, want))
    if key == "lead_image":
        for el in root.iter("img", "meta", "a", "link", "source"):
            if _image_attribute(el, page, want) is not None:
                yield el
        return
    if key == "body":
        paragraphs = [" ".join(p.split()) for p in want if p]
        if not paragraphs:
            return
        first, last = paragraphs[0], paragraphs[-1]
        holding = [el for el in root.iter() if _is_element(el) and _holds(el, first, last)]
        holding = [el for el in holding if not any(_holds(c, first, last) for c in el if _is_element(c))]
        for el in holding:
            ancestor = el
            for _ in range(_BODY_CONTAINER_LEVELS + 1):
                if ancestor is None or ancestor.tag in ("body", "html"):
                    break
                yield ancestor
                ancestor = ancestor.getparent()
        return
    wanted = set(want) if isinstance(want, list) else {want}
    for el in root.iter():
        if not _is_element(el) or el.tag in ("script", "style", "head", "title", "meta", "html", "body"):
            continue
        text = clean_text(text_of(el))
        if not text:
            continue
        if key == "byline":
            if len(text) <= _BYLINE_MAX_CHARS:
                names = parse_byline(text) or []
                if names and set(names) <= wanted:
                    yield el
        elif text in wanted:
            yield el


def _image_attribute(el, page: _Page, want: str) -> str | None:
    """"" when the engine reads the expected URL from the element itself; the name of the
    attribute holding it where the engine would read another (a lazy image's ``data-src``
    behind a placeholder ``src``); None when the element does not hold it."""
    url = _img_url(el) if el.tag in ("img", "a") else el.get("content") or el.get("href")
    if url and page.response.urljoin(url.strip()) == want:
        return ""
    for name, value in el.attrib.items():
        for part in (value or "").split(","):
            words = part.split()
            if words and page.response.urljoin(words[0]) == want and _CSS_IDENT.match(name) \
                    and name not in ("alt", "title"):
                return name if not value.strip().count(" ") else None
    return None


def _holds(el, first: str, last: str) -> bool:
    text = " ".join(clean_text(text_of(el)).split())
    return first in text and last in text


# --- candidates --------------------------------------------------------------------------------
def _candidates(el, page: _Page, anchors: _Anchors, index: int, key: str) -> Iterator[Candidate]:
    tag = el.tag
    if key == "lead_image" and tag in ("meta", "link"):
        for attr in ("property", "name", "itemprop", "rel"):
            if el.get(attr):
                yield _candidate(f"{tag}[{attr}='{el.get(attr)}']", Tier.METADATA, [])
        return
    # itemprop: the element's own, a container's
    if el.get("itemprop") and _plain_value(el.get("itemprop")):
        yield _candidate(f"[itemprop='{el.get('itemprop')}']", Tier.ITEMPROP, [])
        yield _candidate(f"{tag}[itemprop='{el.get('itemprop')}']", Tier.ITEMPROP, [])
    own = list(_own_compounds(el))
    for compound, words in own:
        yield _candidate(compound, Tier.SEMANTIC, words)
    parent = el.getparent()
    level = 0
    ancestor = parent
    while ancestor is not None and level < _ANCESTOR_LEVELS and ancestor.tag not in ("body", "html"):
        level += 1
        prop = ancestor.get("itemprop")
        for compound, words, tier in ([(f"[itemprop='{prop}']", [], Tier.ITEMPROP)] if prop and _plain_value(prop) else []) + \
                [(c, w, Tier.SEMANTIC) for c, w in _own_compounds(ancestor)]:
            for path, extra in _paths_below(compound, ancestor, el, parent):
                yield _candidate(path, tier, words + extra, level)
        ancestor = ancestor.getparent()
    # anchored on the headline element and the body container
    for anchor_el, selectors in ((anchors.headline.get(index), anchors.headline_selectors),
                                 (anchors.body.get(index), anchors.body_selectors)):
        if anchor_el is None or anchor_el is el:
            continue
        for selector in selectors:
            words = _words_in(selector)
            if _is_ancestor(anchor_el, el):
                for path, extra in _paths_below(selector, anchor_el, el, parent):
                    yield _candidate(path, Tier.ANCHORED, words + extra)
            elif anchor_el.getparent() is parent:
                position = _following_position(anchor_el, el)
                if position == 1:
                    yield _candidate(f"{selector} + {tag}", Tier.ANCHORED, words)
                if position:
                    yield _candidate(f"{selector} ~ {tag}", Tier.ANCHORED, words)
        relative = _relative_xpath(anchor_el, el)
        if relative:
            yield _candidate(relative, Tier.ANCHORED, [])
    # structural: the bare tag, then the absolute path
    yield _candidate(tag, Tier.STRUCTURAL, [])
    yield _candidate(_absolute_xpath(el), Tier.STRUCTURAL, [])
    for compound, words in _all_class_compounds(el):  # generated words: last resort
        if any(looks_generated(w) for w in words):
            yield _candidate(compound, Tier.GENERATED, words)


def _candidate(selector: str, tier: Tier, words: list[str], distance: int = 0) -> Candidate:
    if any(looks_generated(w) for w in words):
        tier = Tier.GENERATED
    steps = len(re.findall(r"[ >+~/]+", selector.strip())) + 1
    return Candidate(selector, tier, steps, distance)


def _plain_value(value: str) -> bool:
    return "'" not in value and "\\" not in value and bool(value.strip())


def _own_compounds(el) -> Iterator[tuple[str, list[str]]]:
    """``tag#id`` and ``tag.class`` of the element's semantic-looking words."""
    for compound, words in _all_class_compounds(el):
        if not any(looks_generated(w) for w in words):
            yield compound, words


def _all_class_compounds(el) -> Iterator[tuple[str, list[str]]]:
    ident = (el.get("id") or "").strip()
    if ident and _CSS_IDENT.match(ident):
        yield f"{el.tag}#{ident}", [ident]
    for word in dict.fromkeys((el.get("class") or "").split()):
        if _CSS_IDENT.match(word):
            yield f"{el.tag}.{word}", [word]


def _paths_below(anchor: str, anchor_el, el, parent) -> Iterator[tuple[str, list[str]]]:
    """CSS paths from an anchor (a container) down to the element: ``anchor tag``, ``anchor >
    tag``, the first/last of its type, and with each of the element's semantic classes."""
    tag = el.tag
    yield f"{anchor} {tag}", []
    if parent is anchor_el:
        yield f"{anchor} > {tag}", []
    same = [s for s in parent.iterchildren(tag)] if parent is not None else [el]
    if len(same) > 1:
        if same[-1] is el:
            yield f"{anchor} {tag}:last-of-type", []
        if same[0] is el:
            yield f"{anchor} {tag}:first-of-type", []
    for compound, words in _own_compounds(el):
        yield f"{anchor} {compound}", words


def _is_ancestor(ancestor, el) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _following_position(anchor_el, el) -> int:
    """1 for the sibling right after the anchor, 2+ further on (among elements), 0 before it."""
    position = 0
    for sibling in anchor_el.itersiblings():
        if not _is_element(sibling):
            continue
        position += 1
        if sibling is el:
            return position
    return 0


def _step(el) -> str:
    """``tag`` or ``tag[n]`` when its parent has several children of that tag."""
    parent = el.getparent()
    if parent is None:
        return el.tag
    same = [s for s in parent.iterchildren(el.tag)]
    if len(same) == 1:
        return el.tag
    return f"{el.tag}[{same.index(el) + 1}]"


def _absolute_xpath(el) -> str:
    steps = []
    node = el
    while node is not None:
        steps.append(_step(node))
        node = node.getparent()
    return "/" + "/".join(reversed(steps))


def _anchor_xpath(anchor_el) -> str | None:
    """The anchor element by its id when it has a semantic one, else by its tag where it is the
    page's only element of that tag (an ``h1``); None when neither names it alone."""
    ident = anchor_el.get("id")
    if ident and _plain_value(ident) and not looks_generated(ident):
        return f"//{anchor_el.tag}[@id='{ident}']"
    same_tag = anchor_el.getroottree().getroot().iter(anchor_el.tag)
    if next(same_tag, None) is not None and next(same_tag, None) is None:
        return f"//{anchor_el.tag}"
    return None


def _relative_xpath(anchor_el, el) -> str | None:
    """An XPath from the anchor element to the element: a following sibling
    (``//h1/following-sibling::span[1]``), else up to a shared container and down by tags."""
    anchor = _anchor_xpath(anchor_el)
    if anchor is None:
        return None
    if anchor_el.getparent() is el.getparent() and anchor_el.getparent() is not None:
        following = [s for s in anchor_el.itersiblings(el.tag)]
        if any(s is el for s in following):
            return f"{anchor}/following-sibling::{el.tag}[{following.index(el) + 1}]"
        preceding = [s for s in anchor_el.itersiblings(el.tag, preceding=True)]
        if any(s is el for s in preceding):
            return f"{anchor}/preceding-sibling::{el.tag}[{preceding.index(el) + 1}]"
    up = anchor_el
    for level in range(_ANCHOR_UP_LEVELS + 1):
        if up is None:
            return None
        if up is el or _is_ancestor(up, el):
            down = []
            node = el
            while node is not up:
                down.append(_step(node))
                node = node.getparent()
            path = anchor + ("/.." * level)
            return path + "/" + "/".join(reversed(down)) if down else None
        up = up.getparent()
    return None


def _words_in(selector: str) -> list[str]:
    return re.findall(r"[.#]([A-Za-z_-][\w-]*)", selector)


def _is_element(item) -> bool:
    return hasattr(item, "getparent") and isinstance(getattr(item, "tag", None), str)


def _outermost(elements: list) -> list:
    chosen = set(elements)
    return [e for e in dict.fromkeys(elements) if not any(a in chosen for a in e.iterancestors())]


# --- which links are stories (related lists) ------------------------------------------------------
# Related list headings: the levels tried between a heading and the element it shares with its
# links (the engine's default first), and the heading selectors confirmed with the engine.
_MAX_HEADING_LEVELS = 8
_MAX_HEADING_CANDIDATES = 12
# A path segment a story pattern may be narrowed by: a plain word (``category``), never an id.
_PLAIN_SEGMENT = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9_-]+$")
# A word at least this many of the other links share is a kind of page (``category``, ``tag``);
# the word of one link alone is its slug.
_MIN_SHARING_LINKS = 2
_DEFAULT_HEADING_LEVELS = 4  # akhbar.extraction.config: ``related_heading_levels``


@dataclass
class StoryLinkFit:
    """What related lists need beyond the spider's own story URLs: the ``related_link`` regex
    (``pattern``), the list headings (``headings``, the ``related_heading`` selectors) and how far
    above a heading its links may be (``heading_levels``); or why none is proposed (``reason``)."""

    pattern: str | None = None
    reason: str | None = None
    headings: list[str] | None = None
    heading_levels: int | None = None
    tried: int = 0

    @property
    def fitted(self) -> bool:
        return bool(self.pattern or self.headings)


def fit_story_links(spider, samples: list[Sample]) -> StoryLinkFit:
    """Which links related lists count as stories is a regex of their URLs (``related_link``, else
    ``article_url``), not a selector. Where the spider's own gives the expected related lists on
    every page, nothing is proposed. Else, in this order, the first that makes the engine give
    every expected list exactly:

    1. the pattern of the URLs the expected lists link (and of the pages' own URLs), generalised
       as genoutlet derives ``article_url``;
    2. that pattern with the list headings declared (``related_heading``): the selectors of the
       elements whose text is each expected ``block``, ranked as the other fields' candidates,
       each with ``related_heading_levels`` from the spider's own (default 4), then 1 to
       ``_MAX_HEADING_LEVELS``; the related lists must then come from the declared headings.

    At each step, where the engine gives every expected link plus others (in the same lists),
    the pattern is narrowed where all the others share a plain word at one path segment that no
    expected link has there (``/news/category/29/...``): a lookahead excludes it."""
    from akhbar.commands.genoutlet import article_url_pattern  # the same generalisation of URLs

    judged = [s for s in samples if "related" in s.expected and "related" not in set(s.expected.get("ambiguous") or [])]
    if not judged:
        return StoryLinkFit(reason="no sample page's expected item states its related lists")
    if _related_miss(spider, judged) is None:
        return StoryLinkFit(reason="the spider's own story URLs give the expected related lists")
    urls = [s.url for s in judged] + [link["url"] for s in judged for link in s.expected["related"]]
    proposal = article_url_pattern([u for u in urls if spider_owns(spider, u)])
    attrs = {"related_link": proposal} if proposal else {}
    tried = 1
    if proposal is not None:
        found, _ = _related_with(spider, judged, attrs)
        if found is not None:
            return StoryLinkFit(pattern=found["related_link"], tried=tried)
    own_levels = int(getattr(spider, "related_heading_levels", _DEFAULT_HEADING_LEVELS))
    levels = [own_levels] + [n for n in range(1, _MAX_HEADING_LEVELS + 1) if n != own_levels]
    selectors = dict(getattr(spider, "selectors", None) or {})
    for heading in _heading_candidates(spider, judged):
        for level in levels:
            tried += 1
            trial = {**attrs, "related_heading_levels": level,
                     "selectors": {**selectors, "related_heading": heading}}
            found, complete = _related_with(spider, judged, trial, from_headings=True)
            if found is not None:
                pattern = found.get("related_link")
                if pattern is not None:  # the headings may be all it takes: then the spider's own URLs stay
                    own, _ = _related_with(spider, judged, {k: v for k, v in trial.items() if k != "related_link"},
                                           from_headings=True)
                    if own is not None:
                        pattern = own.get("related_link")
                return StoryLinkFit(pattern=pattern, headings=heading,
                                    heading_levels=level if level != own_levels else None, tried=tried)
            if complete:
                break  # every expected link there: more levels only let more links in
    miss = _related_miss(_with_attributes(spider, attrs), judged)
    what = f"the pattern of the linked URLs ({proposal})" if proposal else "the spider's own story URLs"
    return StoryLinkFit(reason=f"{what}, alone or with any list heading the pages show, does not give them: {miss}",
                        tried=tried)


def _with_attributes(spider, attributes: dict) -> type:
    base = spider if isinstance(spider, type) else type(spider)
    return type(f"Fitting{base.__name__}", (base,), dict(attributes)) if attributes else base


def _related_key(link: dict) -> str:
    return json.dumps(link, sort_keys=True, ensure_ascii=False)


def _related_with(spider, judged: list[Sample], attributes: dict,
                  from_headings: bool = False) -> tuple[dict | None, bool]:
    """(the attributes, with ``related_link`` narrowed where needed, when the engine gives every
    expected related list exactly, else None; whether every expected link came out, in order,
    among others). ``from_headings``: the lists must come from the declared headings."""
    trial = _with_attributes(spider, attributes)
    extra_urls: list[str] = []
    for sample in judged:
        try:
            extracted = extract(sample.response(), trial)
        except NotAnArticle:
            return None, False
        got, want = extracted.item.get("related") or [], sample.expected["related"]
        if from_headings and want and extracted.sources.get("related") != SELECTOR:
            return None, False
        if got == want:
            continue
        wanted = {_related_key(link) for link in want}
        if [link for link in got if _related_key(link) in wanted] != want:
            return None, False
        extra_urls += [link["url"] for link in got if _related_key(link) not in wanted]
    if not extra_urls:
        return attributes, True
    base = attributes.get("related_link") or getattr(spider, "related_link", None) or getattr(spider, "article_url", "")
    stories = [s.url for s in judged] + [link["url"] for s in judged for link in s.expected["related"]]
    narrowed = narrowed_pattern(base, stories, extra_urls)
    if narrowed is None:
        return None, True
    attributes = {**attributes, "related_link": narrowed}
    if _related_miss(_with_attributes(spider, attributes), judged) is not None:
        return None, True
    return attributes, True


def narrowed_pattern(pattern: str, stories: list[str], others: list[str]) -> str | None:
    """``pattern`` (anchored with ``^``) with a lookahead excluding the plain word that every URL
    of ``others`` (at least ``_MIN_SHARING_LINKS``) has at one path segment and no URL of
    ``stories`` has there (``^(?!/[^/]+/category(?:/|$))...``), or None when no segment tells
    them apart."""
    from urllib.parse import urlsplit

    if not pattern or not pattern.startswith("^") or len(set(others)) < _MIN_SHARING_LINKS:
        return None
    story_paths = [urlsplit(u).path.split("/")[1:] for u in stories]
    other_paths = [urlsplit(u).path.split("/")[1:] for u in others]
    for index in range(max(len(p) for p in other_paths)):
        words = {p[index] if len(p) > index else None for p in other_paths}
        if len(words) != 1 or None in words or not _PLAIN_SEGMENT.match(next(iter(words))):
            continue
        word = next(iter(words))
        if any(len(p) > index and p[index] == word for p in story_paths):
            continue
        return f"^(?!{'/[^/]+' * index}/{re.escape(word)}(?:/|$)){pattern[1:]}"
    return None


def _heading_candidates(spider, judged: list[Sample]) -> list[list[str]]:
    """``related_heading`` selector lists to try, best first: single selectors finding, on every
    page, an element whose text is each expected ``block`` (and nothing longer than a heading),
    ranked as the other fields' candidates; then each block's best selector together."""
    pages = [_Page(s) for s in judged]
    max_chars = int(getattr(spider, "related_heading_max_chars", 50))
    per_block: list[dict[str, Candidate]] = []
    for index, page in enumerate(pages):
        blocks = list(dict.fromkeys(link.get("block") for link in page.expected["related"] if link.get("block")))
        if not blocks:
            continue
        # the elements whose cleaned text is a block; lxml leaves out the long ones (regions) in C
        holding: dict[str, list] = {}
        for el in page.root.xpath("//*[string-length(.) <= $limit]", limit=_HEADING_RAW_CHARS_PER_CHAR * max_chars):
            if el.tag not in _NEVER_HEADINGS:
                holding.setdefault(clean_text(text_of(el)), []).append(el)
        for block in blocks:
            options: dict[str, Candidate] = {}
            for el in holding.get(block, ()):
                for candidate in _candidates(el, page, _Anchors(), index, "related_heading"):
                    if candidate.selector.startswith(("/", "(")):
                        continue  # an absolute path names one element of one page
                    known = options.get(candidate.selector)
                    if known is None or candidate.rank < known.rank:
                        options[candidate.selector] = candidate
            per_block.append(options)
    if not per_block:
        return []
    common = set.intersection(*(set(options) for options in per_block))
    ranked = sorted((max((o[s] for o in per_block), key=lambda c: c.rank) for s in common), key=lambda c: c.rank)
    out = list(itertools.islice(([c.selector] for c in ranked if _headings_found(c.selector, pages, max_chars)),
                                _MAX_HEADING_CANDIDATES))
    each = list(dict.fromkeys(
        next((c.selector for c in sorted(o.values(), key=lambda c: c.rank)
              if _headings_found(c.selector, pages, max_chars, every_block=False)), "")
        for o in per_block))
    if all(each) and len(each) > 1 and each not in out:
        out.append(each)
    return out


_NEVER_HEADINGS = ("script", "style", "head", "title", "meta", "html", "body")
# Raw characters per character of a heading's cleaned text an element may have (markup spacing):
# longer elements are regions, never one heading.
_HEADING_RAW_CHARS_PER_CHAR = 20


def _headings_found(selector: str, pages: list[_Page], max_chars: int, every_block: bool = True) -> bool:
    """What the selector finds are headings (a short text each) and, with ``every_block``,
    include an element for each expected block of every page."""
    if selector_problem(selector) is not None:
        return False
    found_any = False
    for page in pages:
        texts = {clean_text(text_of(e)) for e in select(page.root, selector, page.tree) if _is_element(e)}
        if any(len(t) > max_chars for t in texts):
            return False
        if every_block and not {link.get("block") for link in page.expected["related"] if link.get("block")} <= texts:
            return False
        found_any = found_any or bool(texts)
    return found_any


def spider_owns(spider, url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in getattr(spider, "allowed_domains", None) or [])


def _related_miss(spider, samples: list[Sample]) -> str | None:
    for sample in samples:
        try:
            related = extract(sample.response(), spider).item.get("related") or []
        except NotAnArticle as error:
            return f"{sample.name}: not an article ({error.reason})"
        if related != sample.expected["related"]:
            return f"{sample.name}: {len(related)} links, expected {len(sample.expected['related'])}"
    return None


# --- the spider's date declarations ---------------------------------------------------------------
# The declarations the engine reads for dates (akhbar/extraction/config.py), each with its values,
# the default first: what no selector can say (the printed date is the last update; the machine
# date beats the printed clock; how the metadata clock is meant; the zone the metadata states).
DATE_DECLARATIONS: tuple[tuple[str, tuple], ...] = (
    ("printed_date_is_update", (False, True)),
    ("metadata_date_wins", (False, True)),
    ("metadata_clock_is_local", (None, True, False)),
    ("timezone_from_metadata", (False, True)),
)
# The item's fields the declarations are judged on.
DATE_FIELDS = ("published_at", "published_at_raw", "modified_at")


@dataclass
class DeclarationFit:
    """The date declarations to write (``values``: those that differ from the spider's own), or
    ``kept`` (the spider's own give the dates), or why none do (``reason``)."""

    values: dict = dataclass_field(default_factory=dict)
    kept: bool = False
    reason: str | None = None
    tried: int = 0

    @property
    def fitted(self) -> bool:
        return bool(self.values)


def fit_date_declarations(spider, samples: list[Sample]) -> DeclarationFit:
    """The simplest date declarations (fewest changed from the engine's defaults, then in the
    order of ``DATE_DECLARATIONS``) with which the engine gives the expected ``published_at``,
    ``published_at_raw`` and ``modified_at`` on every sample page (those the expected item states
    and does not call ambiguous). Fitted after the selectors: ``spider`` carries the fitted ones.
    The spider's own declarations are kept where they already give the dates."""
    judged = [s for s in samples if any(_date_judged(s, name) for name in DATE_FIELDS)]
    if not judged:
        return DeclarationFit(reason="no sample page's expected item states its dates")
    own = tuple(getattr(spider, name, values[0]) for name, values in DATE_DECLARATIONS)
    first_miss = _date_miss(spider, judged)
    if first_miss is None:
        return DeclarationFit(kept=True, tried=1)
    defaults = tuple(values[0] for _, values in DATE_DECLARATIONS)
    combinations = sorted(itertools.product(*(values for _, values in DATE_DECLARATIONS)),
                          key=lambda combo: _simplicity(combo, defaults))
    tried = 1
    for combo in combinations:
        if combo == own:
            continue
        tried += 1
        declared = {name: value for (name, _), value in zip(DATE_DECLARATIONS, combo)}
        if _date_miss(_with_attributes(spider, declared), judged) is None:
            return DeclarationFit(values={name: value for (name, _), value, mine in zip(DATE_DECLARATIONS, combo, own)
                                          if value != mine}, tried=tried)
    return DeclarationFit(reason=f"no combination of {', '.join(n for n, _ in DATE_DECLARATIONS)} gives them "
                                 f"(with the spider's own: {first_miss})", tried=tried)


def fit_dates(spider, samples: list[Sample], results: dict[str, "FieldFit"]) -> DeclarationFit:
    """The date declarations (``fit_date_declarations``) of the spider with the fitted selectors
    (``results``). Where no ``published_at`` selector gives the dates with the spider's own
    declarations (a printed clock the machine date must beat), the selector is fitted again under
    each declaration combination, simplest first, until one gives the dates with the selector:
    ``results["published_at"]`` is then that fit."""
    fitted = fitted_spider(spider, results)
    dates = fit_date_declarations(fitted, samples)
    published = results.get("published_at")
    if published is None or published.selectors or not any(_Page(s).judged("published_at") and
                                                              _Page(s).target("published_at") for s in samples):
        return dates
    own = tuple(getattr(spider, name, values[0]) for name, values in DATE_DECLARATIONS)
    defaults = tuple(values[0] for _, values in DATE_DECLARATIONS)
    for combo in sorted(itertools.product(*(values for _, values in DATE_DECLARATIONS)),
                        key=lambda combo: _simplicity(combo, defaults)):
        if combo == own:
            continue  # the selector fit has tried it
        declared = {name: value for (name, _), value in zip(DATE_DECLARATIONS, combo)}
        again = fit(_with_attributes(fitted, declared), samples, ["published_at"])["published_at"]
        if again.selectors and _date_miss(_with_attributes(with_selectors(fitted, {
                **fitted.selectors, "published_at": again.selectors}), declared), samples) is None:
            results["published_at"] = again
            return DeclarationFit(values={name: value for (name, _), value, mine in zip(DATE_DECLARATIONS, combo, own)
                                          if value != mine}, tried=dates.tried)
    return dates


def _simplicity(combo: tuple, defaults: tuple) -> tuple:
    """Fewer declarations changed first; then the earlier ones in ``DATE_DECLARATIONS`` and
    their earlier values."""
    changed = [i for i, (value, default) in enumerate(zip(combo, defaults)) if value != default]
    places = [values.index(value) for (_, values), value in zip(DATE_DECLARATIONS, combo)]
    return len(changed), changed, places


def _date_judged(sample: Sample, name: str) -> bool:
    return name in sample.expected and name not in set(sample.expected.get("ambiguous") or [])


def _date_miss(spider, samples: list[Sample]) -> str | None:
    for sample in samples:
        try:
            item = extract(sample.response(), spider).item
        except NotAnArticle as error:
            return f"{sample.name}: not an article ({error.reason})"
        for name in DATE_FIELDS:
            if _date_judged(sample, name) and item.get(name) != sample.expected[name]:
                return f"{sample.name}: {name} {item.get(name)!r}, expected {sample.expected[name]!r}"
    return None


_DECLARATION_COMMENT = ("Fitted by `scrapy fitspider`: the sample pages' dates need it (akhbar/extraction/config.py\n"
                        "says what it means; check it on more of the outlet's pages).")


def write_declarations(source: str, class_name: str, values: dict, comment: str = _DECLARATION_COMMENT) -> str:
    """The source with each declaration of ``values`` (name -> a Python constant) set in the
    class: its assignment replaced, else added right before ``selectors`` with ``comment``."""
    for name, value in values.items():
        written = rewrite_attribute(source, class_name, name, repr(value), comment, before_selectors=True)
        if written.count("\n") > source.count("\n"):
            comment = ""  # one comment above the declarations added together
        source = written
    return source


def fitted_spider(spider, results: dict[str, "FieldFit"]) -> type:
    """A throwaway subclass of the spider with the fitted selectors and body exclusions."""
    fitted = with_selectors(spider, fitted_selectors(spider, results))
    body = results.get("body")
    return with_body_exclude(fitted, body.exclude) if body is not None and body.exclude else fitted


def rewrite_attribute(source: str, class_name: str, name: str, value: str, comment: str = "",
                      before_selectors: bool = False) -> str:
    """The spider source with the class attribute ``name = <value>`` (``value``: a Python
    literal) replacing its assignment, or added after its ``article_url`` (else, or with
    ``before_selectors``, right before its ``selectors``) with ``comment`` above it; the rest of
    the file byte for byte."""
    tree = ast.parse(source)
    lines = _LINE.findall(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or node.name != class_name:
            continue
        place = None  # (line index to insert at, the statement giving the indent)
        for statement in node.body:
            targets = [t.id for t in getattr(statement, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                targets = [statement.target.id]
            if name in targets:
                start, end = statement.lineno - 1, statement.end_lineno
                indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
                newline = "\r\n" if lines[end - 1].endswith("\r\n") else "\n"
                return "".join(lines[:start]) + f"{indent}{name} = {value}{newline}" + "".join(lines[end:])
            if "article_url" in targets and not before_selectors:
                place = (statement.end_lineno, statement)
            elif "selectors" in targets and (place is None or before_selectors):
                place = (statement.lineno - 1, statement)
        if place is not None:
            at, statement = place
            first = lines[statement.lineno - 1]
            indent = first[: len(first) - len(first.lstrip())]
            newline = "\r\n" if first.endswith("\r\n") else "\n"
            text = "".join(f"{indent}# {line}{newline}" for line in comment.splitlines()) + f"{indent}{name} = {value}{newline}"
            return "".join(lines[:at]) + text + "".join(lines[at:])
    raise ValueError(f"no class {class_name} with an `article_url` or `selectors` to put {name} beside")


def write_body_exclude(source: str, spider, results: dict[str, "FieldFit"]) -> str:
    """The source with the body fit's exclusions added to the class's ``body_exclude`` (its own
    entries first), unchanged where the body fit excludes nothing."""
    body = results.get("body")
    if body is None or not body.exclude:
        return source
    own = list(getattr(spider, "body_exclude", None) or [])
    return rewrite_attribute(source, spider.__name__, "body_exclude",
                             _python_list(own + [e for e in body.exclude if e not in own]))


def regex_literal(pattern: str) -> str:
    """A regex as the spiders write it: a raw string where it can be one."""
    if '"' not in pattern and not pattern.endswith("\\") and "\n" not in pattern:
        return f'r"{pattern}"'
    return repr(pattern)


# --- writing the selectors back ----------------------------------------------------------------
def rewrite_selectors(source: str, class_name: str | None, selectors: dict[str, list[str]]) -> str:
    """The spider source with its class's ``selectors = {...}`` assignment replaced by
    ``selectors`` (one key a line, as a person writes it); the rest of the file byte for byte.
    Keys whose value is unchanged keep their original text (comments inside the old dict are
    not kept; one after its closing brace is). ``class_name``: the spider's class (None: the
    last class assigning ``selectors``)."""
    tree = ast.parse(source)
    target = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or (class_name and node.name != class_name):
            continue
        for statement in node.body:
            names = []
            if isinstance(statement, ast.Assign):
                names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                names = [statement.target.id]
            if "selectors" in names:
                target = statement
    if target is None:
        raise ValueError(f"no `selectors = {{...}}` in class {class_name or '(any)'}")
    lines = _LINE.findall(source)  # the lines ast counts (not str.splitlines: U+2028 is no line end)
    start, end = target.lineno - 1, target.end_lineno  # whole lines
    first = lines[start]
    indent = first[: len(first) - len(first.lstrip())]
    old_values: dict[str, str] = {}
    value = target.value
    if isinstance(value, ast.Dict):
        for k, v in zip(value.keys, value.values):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                try:
                    literal = ast.literal_eval(v)
                except ValueError:
                    continue
                literal = [literal] if isinstance(literal, str) else list(literal)
                segment = ast.get_source_segment(source, v)
                if segment is not None and "\n" not in segment:
                    old_values[k.value] = (literal, segment)
    body = []
    for key, value_list in selectors.items():
        old = old_values.get(key)
        text = old[1] if old is not None and old[0] == list(value_list) else _python_list(value_list)
        body.append(f"{indent}    {json.dumps(key)}: {text},\n")
    tail = lines[end - 1]
    newline = "\r\n" if tail.endswith("\r\n") else "\n"
    block = f"{indent}selectors = {{\n" + "".join(body) + f"{indent}}}\n"
    if newline != "\n":
        block = block.replace("\n", newline)
    # text after the closing brace on its last line (a comment) is kept
    after = lines[end - 1][target.end_col_offset:].rstrip("\r\n")
    if after.strip():
        block = block[: -len(newline)] + after + newline
    return "".join(lines[:start]) + block + "".join(lines[end:])


def _python_list(values: list[str]) -> str:
    """A list of selectors as a Python literal (double-quoted strings, as the spiders write them)."""
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"
