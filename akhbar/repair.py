"""Repair a spider whose selectors no longer match its outlet's pages (after a redesign).

On each given page the spider's extraction (``extract``) says which fields its own selectors
no longer give: a field it declares selectors for that came from a fallback (metadata or the
class-independent reading; ``Extracted.fallbacks``). Those selector keys are *failing*. The page's
item as the spider's reader chain gives it, fallbacks included, is taken as the example, and the
failing keys are fitted again to it (``akhbar.fitting.fit``, the same ranking as `scrapy
fitspider`); the keys that still work are kept (and anchor the fit: a path from the headline).

Nothing here knows whether the fallback's value is right: the result is a proposal for a person
to check, with the draft expected item of each page (every field under review, as `scrapy
genoutlet` writes one). The date declarations (``printed_date_is_update`` ...) are fitted again
with the repaired selectors (``fit_date_declarations``): kept where the spider's own still give
the example's dates. ``repair(spider, pages)`` -> ``Repair``; ``spider_diff`` renders the change
to the spider file as a unified diff (its ``selectors`` dict, ``body_exclude`` and the date
declarations change).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

from scrapy.http import HtmlResponse

from akhbar.extraction import NotAnArticle, extract
from akhbar.extraction.engine import FIELD_SELECTORS
from akhbar.fitting import (FITTED_FIELDS, DeclarationFit, FieldFit, Sample, fit, fit_dates, fitted_selectors,
                            rewrite_selectors, write_body_exclude,
                            write_declarations)
from akhbar.pipelines import normalize_item


class UnreadablePage(ValueError):
    """A page repair cannot read: missing, or not an article to the spider's reader chain."""


@dataclass
class PageReading:
    """What the spider's reader chain gives on one page."""

    name: str
    url: str
    body: bytes
    item: dict  # the item as extract() gives it (fallbacks included): the example
    failing: list[str]  # selector keys declared whose field came from a fallback
    empty: list[str]  # selector keys declared whose field nothing on the page gives


@dataclass
class Repair:
    """The repair of one spider on some pages."""

    spider: type
    pages: list[PageReading]
    results: dict[str, FieldFit] = dataclass_field(default_factory=dict)
    # the date declarations with the repaired selectors (``fit_date_declarations``): kept where
    # the spider's own still give the example's dates
    declarations: DeclarationFit = dataclass_field(default_factory=DeclarationFit)

    @property
    def failing(self) -> list[str]:
        """The failing selector keys of any page, in the spider's declaration order, and the
        keys that read inside what a failing key finds (``_READ_WITH``), declared or not."""
        seen = {key for page in self.pages for key in page.failing}
        seen |= {key for failing, keys in _READ_WITH.items() if failing in seen for key in keys}
        return [key for key in dict.fromkeys([*declared_keys(self.spider), *FITTED_FIELDS]) if key in seen]

    @property
    def unfitted(self) -> list[FieldFit]:
        """Failing keys the fit could not give a selector for (the reason in each)."""
        return [self.results[key] if key in self.results else FieldFit(key, reason=_NOT_FITTABLE)
                for key in self.failing if not (key in self.results and self.results[key].fitted)]

    def selectors(self) -> dict[str, list[str]]:
        """The spider's ``selectors`` with the repaired keys replaced (the rest as declared)."""
        return fitted_selectors(self.spider, {k: r for k, r in self.results.items() if r.fitted})


# Keys no fallback stands in for, read where a failing key's element is: the lead image's
# caption beside the lead image, the body images' captions inside the body. A redesign that broke
# the one broke the other (their own selectors are kept where they still give the value).
_READ_WITH = {"lead_image": ("lead_caption",), "body": ("image_caption",)}

_NOT_FITTABLE = f"not a key the fit knows (it fits {', '.join(FITTED_FIELDS)}): a person's selector"


def declared_keys(spider) -> list[str]:
    """The selector keys the spider declares a non-empty selector list for, in its order."""
    return [key for key, value in (getattr(spider, "selectors", None) or {}).items() if value]


def read_page(spider, name: str, url: str, body: bytes) -> PageReading:
    """The spider's reading of one page and its failing keys; ``UnreadablePage`` when the
    reader chain takes it for no article."""
    response = HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"})
    try:
        extracted = extract(response, spider)
    except NotAnArticle as error:
        raise UnreadablePage(f"{name}: not an article to {spider.name}'s reader chain ({error.reason})") from error
    declared = set(declared_keys(spider))
    failing = [key for key in declared_keys(spider)
               if any(key in FIELD_SELECTORS.get(field, ()) for field in extracted.fallbacks)]
    empty = [key for field, keys in FIELD_SELECTORS.items() if not extracted.item.get(field)
             for key in keys if key in declared and key not in failing]
    return PageReading(name, url, body, dict(extracted.item), failing, list(dict.fromkeys(empty)))


def repair(spider, pages: list[tuple[str, str, bytes]]) -> Repair:
    """Fit the failing selector keys of ``spider`` again, on ``pages`` ((name, url, bytes)), to
    the values its reader chain's fallbacks give there. Keys that work are kept as declared."""
    readings = [read_page(spider, name, url, body) for name, url, body in pages]
    result = Repair(spider, readings)
    failing = result.failing
    if not failing:
        return result
    # the declared keys that still work are fitted too: they are kept as they are (they give
    # the example's value, which they made) and anchor the failing ones
    keys = [key for key in FITTED_FIELDS if key in failing or key in declared_keys(spider)]
    samples = [Sample(url=page.url, body=page.body, expected=page.item, name=page.name) for page in readings]
    # the keys read with a failing one (captions) are fitted again even where their own
    # selectors still agree with the example: the fallback made it, not they
    forced = [key for key in failing if key not in {k for page in readings for k in page.failing}]
    result.results = {key: fitted for key, fitted in fit(spider, samples, keys, refit=forced).items()
                      if key in failing}
    # the published_at selector is fitted again under other declarations where none gives the dates
    result.declarations = fit_dates(spider, samples, result.results)
    return result


def spider_diff(source: str, repaired: str, path: Path | str) -> str:
    """The change from ``source`` to ``repaired`` as a unified diff of ``path`` ("" when none)."""
    return "".join(difflib.unified_diff(source.splitlines(keepends=True), repaired.splitlines(keepends=True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def repaired_source(source: str, outcome: Repair) -> str:
    """The spider's source with the repaired selectors dict (the rest byte for byte)."""
    repaired = rewrite_selectors(source, outcome.spider.__name__, outcome.selectors())
    repaired = write_body_exclude(repaired, outcome.spider, outcome.results)
    return write_declarations(repaired, outcome.spider.__name__, outcome.declarations.values)


def draft_of(outlet: str, page: PageReading) -> dict:
    """The page's draft expected item: its example item normalised as `scrapy extract` prints
    it, every field under review (genoutlet's draft form)."""
    from akhbar.commands.genoutlet import EXPECTED_FIELDS, REVIEW_KEY, REPAIR_NOTE

    from akhbar.items import Article

    item = normalize_item(Article(page.item))
    draft: dict = {REVIEW_KEY: list(EXPECTED_FIELDS), "file": page.name}
    draft.update((field, item[field]) for field in EXPECTED_FIELDS)
    draft.update(url=page.url, outlet=outlet, ambiguous=[], notes=REPAIR_NOTE)
    return draft
