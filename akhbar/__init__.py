"""akhbar: Scrapy spiders for Arabic news outlets.

``akhbar.Addon`` is the Scrapy add-on that switches akhbar on in any project
(``ADDONS = {"akhbar.Addon": 100}``); it is imported on first use, so the text layer
(``akhbar.text``) stays importable without Scrapy's machinery. The public API (the add-on,
``NewsSpider``, ``akhbar.text``, the loader processors, ``extract_article``) is listed in
docs/api.md; ``__version__`` is the package's version (pyproject.toml reads it from here).
"""

__version__ = "0.1.0"

__all__ = ["Addon", "__version__"]


def __getattr__(name: str):
    if name == "Addon":
        from akhbar.addon import Addon

        return Addon
    raise AttributeError(f"module 'akhbar' has no attribute {name!r}")
