"""akhbar: Scrapy spiders for Arabic news outlets."""

__version__ = "0.1.0"
