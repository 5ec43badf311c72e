"""akhbar's Scrapy add-on: ``ADDONS = {"akhbar.Addon": 100}`` switches akhbar on in any project.

It applies akhbar/defaults.py at Scrapy's "addon" priority: pipelines (normalise, validate,
de-duplicate, store), downloader middlewares (incremental skip, replay), the polite downloader,
extensions (field coverage, stats file, crash recovery), feed export defaults and the spider
loader that validates selectors. Whatever the project, the spider or the command line sets wins.
The commands (`scrapy extract`, `genoutlet`, ...) come with the installed package (the
``scrapy.commands`` entry points in pyproject.toml), add-on or not.

Example (a project's settings.py)::

    ADDONS = {"akhbar.Addon": 100}
"""

from __future__ import annotations

from types import ModuleType

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.misc import load_object

from akhbar import defaults
from akhbar.frontier import RedisFrontier
from akhbar.politeness import ContactUserAgent

# Settings that are dictionaries of components (class -> order): merged entry by entry.
COMPONENT_DICTS = ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS")
# Settings that are dictionaries by name (format or scheme -> class): a name already set wins.
NAMED_DICTS = ("FEED_EXPORTERS", "DOWNLOAD_HANDLERS")
PRIORITY = "addon"


def default_settings(module: ModuleType = defaults) -> dict:
    """akhbar's defaults as a dict: the upper-case names of akhbar/defaults.py."""
    return {name: getattr(module, name) for name in dir(module) if name.isupper() and not name.startswith("_")}


def apply_defaults(settings: BaseSettings) -> None:
    """Apply akhbar's defaults to ``settings`` below anything already set there.

    Idempotent: applying twice changes nothing. A component a project switched off (`None`)
    stays off.
    """
    for name, value in default_settings().items():
        if name in COMPONENT_DICTS:
            for component, order in value.items():
                settings.setdefault_in_component_priority_dict(name, load_object(component), order)
        elif name in NAMED_DICTS:
            merged = {**value, **settings.getdict(name)}
            settings.set(name, merged, priority=max(settings.getpriority(name) or 0,
                                                    SETTINGS_PRIORITIES[PRIORITY]))
        else:
            settings.set(name, value, priority=PRIORITY)


class Addon:
    """The add-on. Scrapy calls it twice: before the crawlers exist (the spider loader, commands)
    and for each crawler (everything a crawl uses)."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        apply_defaults(settings)

    def update_settings(self, settings: BaseSettings) -> None:
        apply_defaults(settings)
        # Add-ons of akhbar's own, run here: Scrapy reads ADDONS once, before any add-on runs.
        RedisFrontier().update_settings(settings)
        ContactUserAgent().update_settings(settings)
