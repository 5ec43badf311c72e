"""Project commands: `scrapy extract`, `genoutlet`, `outlets`, `frontier` (one module each)."""
