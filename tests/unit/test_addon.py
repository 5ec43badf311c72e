"""akhbar's add-on: one line of a project's settings switches akhbar on; the project still wins."""

from scrapy import Spider
from scrapy.settings import Settings
from scrapy.crawler import Crawler
from scrapy.utils.test import get_reactor_settings

from akhbar import defaults
from akhbar.addon import Addon, apply_defaults
from akhbar.pipelines import NormalizePipeline
from akhbar.store_pipeline import StorePipeline


class OwnPipeline:
    """A project's own pipeline."""

    def process_item(self, item):
        return item


OWN_PIPELINE = f"{__name__}.OwnPipeline"


def crawler_settings(project: dict, cmdline: dict | None = None) -> Settings:
    """The settings a crawl of a project with these settings.py values (and -s values) ends with."""
    settings = Settings()
    settings.setdict({**get_reactor_settings(), "ADDONS": {"akhbar.Addon": 100}, **project},
                     priority="project")
    settings.setdict(cmdline or {}, priority="cmdline")
    crawler = Crawler(Spider, settings)
    crawler._apply_settings()
    return crawler.settings


def component_paths(settings: Settings, name: str) -> dict:
    return {(c if isinstance(c, str) else f"{c.__module__}.{c.__qualname__}"): order
            for c, order in settings.getdict(name).items()}


def test_a_project_with_only_the_addon_gets_every_default():
    settings = crawler_settings({})
    for name in ("AKHBAR_COVERAGE_MIN", "AKHBAR_SITEMAP_MAX_DEPTH", "DOWNLOADER", "ROBOTSTXT_OBEY"):
        assert settings.get(name) == getattr(defaults, name), name
    assert component_paths(settings, "ITEM_PIPELINES") == defaults.ITEM_PIPELINES
    assert component_paths(settings, "EXTENSIONS") == defaults.EXTENSIONS
    assert component_paths(settings, "DOWNLOADER_MIDDLEWARES") == defaults.DOWNLOADER_MIDDLEWARES
    assert settings.get("USER_AGENT").startswith("akhbar/")


def test_the_projects_own_settings_win():
    settings = crawler_settings({
        "AKHBAR_SITEMAP_MAX_DEPTH": 1,
        "USER_AGENT": "MyNewsBot/2.0",
        # Its own pipeline beside akhbar's, and akhbar's store switched off.
        "ITEM_PIPELINES": {OWN_PIPELINE: 800, "akhbar.store_pipeline.StorePipeline": None},
        "FEED_EXPORTERS": {"csv": "myproject.exporters.Csv"},
    })
    assert settings.getint("AKHBAR_SITEMAP_MAX_DEPTH") == 1
    assert settings.get("USER_AGENT") == "MyNewsBot/2.0"
    pipelines = component_paths(settings, "ITEM_PIPELINES")
    assert pipelines[OWN_PIPELINE] == 800
    assert pipelines["akhbar.store_pipeline.StorePipeline"] is None
    assert pipelines["akhbar.pipelines.NormalizePipeline"] == defaults.ITEM_PIPELINES[
        "akhbar.pipelines.NormalizePipeline"]
    assert settings.getdict("FEED_EXPORTERS")["csv"] == "myproject.exporters.Csv"


def test_command_line_settings_win_over_the_project_and_the_addon():
    settings = crawler_settings({"AKHBAR_COVERAGE_MIN_PAGES": 5}, {"AKHBAR_COVERAGE_MIN_PAGES": 3})
    assert settings.getint("AKHBAR_COVERAGE_MIN_PAGES") == 3


def test_applying_twice_changes_nothing():
    once = Settings()
    apply_defaults(once)
    twice = Settings()
    apply_defaults(twice)
    apply_defaults(twice)
    for name in ("ITEM_PIPELINES", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "FEED_EXPORTERS"):
        assert once.getdict(name) == twice.getdict(name), name
    assert NormalizePipeline in once.getdict("ITEM_PIPELINES")
    assert StorePipeline in once.getdict("ITEM_PIPELINES")


def test_the_addon_is_importable_from_the_package():
    import akhbar

    assert akhbar.Addon is Addon


def test_every_command_is_an_entry_point_of_the_package():
    """A project that installs akhbar gets every command, not only this repository."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["entry-points"][
        "scrapy.commands"]
    modules = {p.stem for p in (root / "akhbar" / "commands").glob("*.py") if p.stem != "__init__"}
    assert set(declared) == modules
    assert all(target == f"akhbar.commands.{name}:Command" for name, target in declared.items())
