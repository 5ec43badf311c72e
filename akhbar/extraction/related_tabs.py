"""Tabs of related lists: which tab label heads which panel of story links.

A tab label (a heading candidate) names the panel it points at (``href="#id"``/``.class``,
``data-target``, ``aria-controls``: ``target_panels``); labels that point at nothing name the
panels that follow them in order, k labels in a row for k panels (``tab_runs``). ``tab_button``
tells a button that labels a tab from a lone control (copy, share, close).

``heads`` is ``related._Headings``: the page's heading candidates, judged when asked.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from lxml import etree

from akhbar.extraction.dom import NO_TEXT

if TYPE_CHECKING:
    from akhbar.extraction.related import _Headings


# Attribute nodes (libxml2 finds them faster than elements with attribute tests; their
# getparent() is the element): what may point a tab label at its panel, and ids.
_TAB_TARGET = etree.XPath("//@data-target | //@data-bs-target | //@aria-controls")
_ID = etree.XPath("//@id")


_TAB_CLASS = re.compile(r"tab", re.I)


# A tab label sits at most this far below its tab list (<ul class="tabs"><li><a>).
_TAB_LIST_MAX_LEVELS = 3


def _tab_list(el):
    """The tab list a heading is a label of, or None."""
    if el.get("role") == "tab" or "tab" in (el.get("data-toggle") or "") + (el.get("data-bs-toggle") or ""):
        node = el.getparent()
        return node.getparent() if node is not None and node.tag == "li" else node
    node, depth = el.getparent(), 0
    while node is not None and depth < _TAB_LIST_MAX_LEVELS:
        if node.get("role") == "tablist" or (node.tag in ("ul", "ol", "div", "nav")
                                             and _TAB_CLASS.search(node.get("class") or "")):
            return node
        node, depth = node.getparent(), depth + 1
    return None


def tab_runs(heads: _Headings, stories: list, panels: dict) -> None:
    """Tabs without targets: k labels in a row, then k panels -> label i heads panel i (added to
    ``panels``, panel -> (label, its text), where no targeted label named the panel).

    A run of labels (consecutive headings in one tab list, no story link between them) can only
    name the panels of the links that follow its last label, up to the next heading: so only the
    runs ending at the heading right before a story link are looked at, in page order.
    """
    link_orders = [story.position for story in stories]
    tab_lists: dict = {}

    def tab_list_of(i: int):
        try:
            return tab_lists[i]
        except KeyError:
            found = tab_lists[i] = _tab_list(heads.elements[i])
            return found

    runs: dict = {}  # first label -> the run
    for story in stories:
        pos = story.position
        last = next(heads.before(pos), None)
        if last is None or tab_list_of(last) is None:
            continue
        tablist = tab_list_of(last)
        links_before = bisect.bisect_left(link_orders, heads.orders[last])
        run = [last]
        for k in heads.before(heads.orders[last]):
            if tab_list_of(k) is not tablist or bisect.bisect_left(link_orders, heads.orders[k]) != links_before:
                break
            run.insert(0, k)
        runs[run[0]] = (run, tablist, heads.following(last))  # (a link follows: the run ends here)
    for first in sorted(runs):
        run, tablist, after = runs[first]
        # (Panels a tab already names keep that label: the entries added below never overwrite one.)
        if len(run) > 1:
            end = heads.orders[after] if after is not None else float("inf")
            start_k = bisect.bisect_left(link_orders, heads.orders[run[-1]])
            tab_ancestors = set(tablist.iterancestors()) | {tablist}
            outer: list = []  # children of the common ancestor, on the way up from each link
            inner: list = []  # their children (when the panels sit in a "tab-content" wrapper)
            for story in stories[start_k:]:
                pos, a = story.position, story.link
                if pos > end:
                    break
                path = [a, *a.iterancestors()]
                for k in range(1, len(path)):
                    if path[k] in tab_ancestors:
                        if path[k - 1] not in outer:
                            outer.append(path[k - 1])
                        if k >= 2 and path[k - 2] not in inner:
                            inner.append(path[k - 2])
                        break
            found = outer if len(outer) == len(run) else inner if len(outer) == 1 else []
            if len(found) == len(run):
                for panel, k in zip(found, run):
                    panels.setdefault(panel, (heads.elements[k], heads.text(k)))

def tab_targets(root, candidates: list, toggles: list, order: dict) -> list:
    """(label, target) of the candidates that point at a tab panel (``data-target``,
    ``data-bs-target``, ``aria-controls``, a toggle's ``href``), in page order; a bare ``#`` or
    ``.`` points at nothing."""
    found: list = []
    if not candidates:
        return found
    candidate_set = set(candidates)
    labels = {attribute.getparent() for attribute in _TAB_TARGET(root)}
    labels.update(toggles)
    for el in sorted(labels, key=order.__getitem__):
        if el in candidate_set:
            target = (el.get("data-target") or el.get("data-bs-target") or el.get("aria-controls")
                      or (el.get("href") if el.tag == "a" else None))
            if target and target.strip() not in ("#", "."):
                found.append((el, target.strip()))
    return found

def target_panels(root, tab_targets: list, heads: _Headings, nodes: list, order: dict, unread: set) -> dict:
    """Panel element -> (tab label, its text) for the tab labels that are headings and point at
    a panel: ``#id`` or a bare id (the element with that id), ``.class`` (the first readable
    element with that class after the label)."""
    panels: dict = {}
    if not tab_targets:
        return panels
    by_id: dict = {}
    for attribute in _ID(root):
        if attribute:
            by_id.setdefault(str(attribute), attribute.getparent())
    for label, target in tab_targets:
        text = heads.text_for(label)
        if not text:
            continue
        panel = None
        if target.startswith("#"):
            panel = by_id.get(target[1:])
        elif target.startswith("."):
            cls = target[1:]
            for el in nodes[order[label] + 1:]:
                if el.tag.__class__ is str and cls in (el.get("class") or "").split() \
                        and el not in unread and el.tag not in NO_TEXT:
                    panel = el
                    break
        elif target in by_id:
            panel = by_id[target]
        if panel is not None:
            panels.setdefault(panel, (label, text))
    return panels

TAB_ATTRIBUTES = ("aria-controls", "data-target", "data-bs-target", "data-toggle", "data-bs-toggle")


def tab_button(button) -> bool:
    """A button that labels a tab: marked as one, or one of a row of buttons (tab labels come
    several together; a lone button copies, shares or closes)."""
    if button.get("role") == "tab" or any(button.get(a) is not None for a in TAB_ATTRIBUTES):
        return True
    parent = button.getparent()
    return parent is not None and sum(1 for child in parent if child.tag == "button") > 1
