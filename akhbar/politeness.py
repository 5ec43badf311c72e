"""Add-on: the User-Agent names the crawl and its contact, however the contact is given.

akhbar/defaults.py builds ``USER_AGENT`` from the ``AKHBAR_CONTACT`` environment variable when it is
imported; ``-s AKHBAR_CONTACT=...`` (or Scrapyd's ``setting=AKHBAR_CONTACT=...``) comes later,
so this add-on builds it again from the final setting. A ``USER_AGENT`` given with ``-s`` or a
spider's ``custom_settings`` (or the project's settings.py) is left as given.
"""

from __future__ import annotations

from scrapy.settings import SETTINGS_PRIORITIES

AGENT = "akhbar/0.1 (+{contact})"


def user_agent(contact: str) -> str:
    return AGENT.format(contact=contact)


class ContactUserAgent:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def update_settings(self, settings) -> None:
        contact = settings.get("AKHBAR_CONTACT")
        # Only akhbar's own User-Agent is rebuilt: one a project or a run set itself is kept.
        if contact and settings.getpriority("USER_AGENT") <= SETTINGS_PRIORITIES["addon"]:
            settings.set("USER_AGENT", user_agent(contact), priority="addon")
