"""Scrapy settings of this repository's project: akhbar's spiders, switched on by akhbar's add-on.

Every akhbar setting and its default is in akhbar/defaults.py (and the README's settings table).
Override any of them here, per run (`scrapy crawl youm7 -s NAME=value`), per spider
(`custom_settings`), or per deployment (Scrapyd's `setting=NAME=value`).
"""

BOT_NAME = "akhbar"
SPIDER_MODULES = ["akhbar.spiders"]
NEWSPIDER_MODULE = "akhbar.spiders"

# The same add-on any Scrapy project uses to switch akhbar on (akhbar/addon.py).
ADDONS = {"akhbar.Addon": 100}
# The commands come with the installed package (pyproject.toml's scrapy.commands entry points);
# this also finds a command module added to akhbar/commands before the next `pip install -e .`.
COMMANDS_MODULE = "akhbar.commands"
# Read before any add-on runs by `scrapy list`: akhbar's loader, validating every spider's
# selectors as it loads them (a crawl validates its spider through the add-on anyway).
SPIDER_LOADER_CLASS = "akhbar.spiderloader.SpiderLoader"
