"""Project commands: `scrapy extract`, ..."""
