"""Page metadata read once per page: <meta> tags, <link rel=canonical>, JSON-LD."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenews", "blogposting", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting",
    "webpage",  # last resort only (ranked below the others)
}


@dataclass
class PageMeta:
    meta: dict[str, list[str]] = field(default_factory=dict)  # property/name/itemprop -> contents
    canonical: str | None = None
    jsonld: dict[str, Any] | None = None  # the article object of the JSON-LD, if any
    jsonld_all: list[dict] = field(default_factory=list)

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key.lower(), ()):
                if value and value.strip():
                    return value.strip()
        return None

    def all(self, key: str) -> list[str]:
        return [v.strip() for v in self.meta.get(key.lower(), ()) if v and v.strip()]

    def ld(self, key: str) -> Any:
        return (self.jsonld or {}).get(key)


def read_meta(root) -> PageMeta:
    """One pass over <meta>, <link> and JSON-LD scripts (xpath on the lxml tree)."""
    page = PageMeta()
    for el in root.iter("meta", "link", "script", "time"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop")
            content = el.get("content")
            if key and content is not None:
                page.meta.setdefault(key.strip().lower(), []).append(content)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and page.canonical is None and el.get("href"):
                page.canonical = el.get("href").strip()
        elif tag == "time":
            if el.get("datetime") and el.get("itemprop"):
                page.meta.setdefault(el.get("itemprop").lower(), []).append(el.get("datetime"))
        elif (el.get("type") or "").strip().lower() == "application/ld+json":
            for obj in _flatten(_loads(el.text or "")):
                page.jsonld_all.append(obj)
    page.jsonld = _pick_article(page.jsonld_all)
    return page


def _loads(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    if text.startswith("<!--"):
        text = text[4:].rstrip("->").strip()
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    # Common breakage: trailing commas, raw newlines/tabs in strings, several objects in a row.
    fixed = re.sub(r",\s*([}\]])", r"\1", text)
    fixed = re.sub(r"[\x00-\x1f]", " ", fixed)
    try:
        return json.loads(fixed, strict=False)
    except ValueError:
        pass
    objects, decoder, i = [], json.JSONDecoder(strict=False), 0
    while i < len(fixed):
        start = fixed.find("{", i)
        if start < 0:
            break
        try:
            obj, end = decoder.raw_decode(fixed, start)
        except ValueError:
            break
        objects.append(obj)
        i = end
    return objects or None


def _flatten(data: Any) -> list[dict]:
    out: list[dict] = []
    if isinstance(data, list):
        for item in data:
            out.extend(_flatten(item))
    elif isinstance(data, dict):
        out.append(data)
        if isinstance(data.get("@graph"), list):
            out.extend(_flatten(data["@graph"]))
        main = data.get("mainEntity")
        if isinstance(main, dict):
            out.extend(_flatten(main))
    return out


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in types if x}


def _pick_article(objects: list[dict]) -> dict | None:
    best, best_rank = None, 0
    for obj in objects:
        types = _types(obj) & ARTICLE_TYPES
        if not types:
            continue
        rank = 1 if types == {"webpage"} else 2 + bool(obj.get("articleBody") or obj.get("headline"))
        if rank > best_rank:
            best, best_rank = obj, rank
    return best


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as one string (lists: first; objects: their name)."""
    if isinstance(value, list):
        for item in value:
            text = ld_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return ld_text(value.get("name") or value.get("@value"))
    if value is None:
        return None
    return str(value).strip() or None


def ld_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(ld_list(item))
        return out
    text = ld_text(value)
    return [text] if text else []


def ld_people(value: Any) -> list[str]:
    """Names of JSON-LD authors that are persons (organisations are not authors)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            if "organization" in _types(item) or "newsmediaorganization" in _types(item):
                continue
            name = ld_text(item.get("name"))
        else:
            name = ld_text(item)
        if name:
            names.append(name)
    return names


def ld_images(value: Any) -> list[tuple[str, str | None]]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            url = ld_text(item.get("url") or item.get("contentUrl"))
            caption = ld_text(item.get("caption"))
        else:
            url, caption = ld_text(item), None
        if url:
            out.append((url, caption))
    return out
