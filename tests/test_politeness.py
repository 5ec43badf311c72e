"""Politeness by default: robots.txt, AutoThrottle, bounded per-site concurrency, an identifying
User-Agent with a contact; each documented in the README with how to change it.

What a crawl actually does with them (the User-Agent sent, a robots.txt disallow obeyed and
counted) is checked on a real HTTP server in tests/test_bad_inputs.py.
"""

import importlib
import re
from pathlib import Path

from scrapy.settings import Settings

from akhbar.addon import Addon

ROOT = Path(__file__).resolve().parent.parent


def project_settings(**cmdline) -> Settings:
    """The settings as `scrapy crawl` builds them: project module, -s values, then add-ons."""
    from akhbar import settings as module

    settings = Settings()
    settings.setmodule(module, priority="project")
    for name, value in cmdline.items():
        settings.set(name, value, priority="cmdline")
    Addon().update_settings(settings)
    return settings


def test_polite_defaults():
    s = project_settings()
    assert s.getbool("ROBOTSTXT_OBEY") is True
    assert s.getbool("AUTOTHROTTLE_ENABLED") is True
    assert s.getfloat("AUTOTHROTTLE_START_DELAY") >= 1.0
    assert 1 <= s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 8
    assert s.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY") <= s.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    assert s.getint("RETRY_TIMES") <= 3 and s.getint("DOWNLOAD_TIMEOUT") <= 60
    contact = s.get("AKHBAR_CONTACT")
    assert contact and s.get("USER_AGENT") == f"akhbar/0.1 (+{contact})"
    assert "Mozilla" not in s.get("USER_AGENT")  # names itself, does not pose as a browser


def test_the_contact_can_be_given_by_environment_or_setting(monkeypatch):
    from akhbar import defaults as module

    monkeypatch.setenv("AKHBAR_CONTACT", "mailto:env@news.example")
    try:
        importlib.reload(module)
        assert project_settings().get("USER_AGENT") == "akhbar/0.1 (+mailto:env@news.example)"
    finally:
        monkeypatch.delenv("AKHBAR_CONTACT")
        importlib.reload(module)
    s = project_settings(AKHBAR_CONTACT="https://news.example/bot")
    assert s.get("USER_AGENT") == "akhbar/0.1 (+https://news.example/bot)"
    # A whole User-Agent given on the command line is kept as given.
    s = project_settings(AKHBAR_CONTACT="x", USER_AGENT="MyBot/1.0 (+ops@news.example)")
    assert s.get("USER_AGENT") == "MyBot/1.0 (+ops@news.example)"


def test_the_readme_says_how_to_change_each():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z_]+)` \|", readme, re.M)}
    for name in ("ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS_PER_DOMAIN",
                 "AKHBAR_CONTACT", "USER_AGENT", "DOWNLOAD_TIMEOUT", "RETRY_TIMES", "DOWNLOAD_MAXSIZE"):
        assert name in rows, name
