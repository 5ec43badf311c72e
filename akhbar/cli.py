"""The base of the project's scrapy commands (kept outside akhbar/commands, where Scrapy
registers every command class it finds)."""

from __future__ import annotations

import sys

from scrapy.commands import ScrapyCommand


class ProjectCommand(ScrapyCommand):
    """A command of this project: needs the project, prints no log, fails with a message."""

    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def fail(self, message: str) -> None:
        """Report `message` on stderr as `scrapy <command>: message` and exit with status 1."""
        sys.stderr.write(f"scrapy {self.command_name}: {message}\n")
        self.exitcode = 1

    @property
    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]
