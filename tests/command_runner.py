"""Run one of the project's scrapy commands in this process (no interpreter start), as
`scrapy <command> ARGV` would: its exit status, stdout and stderr."""

from __future__ import annotations

import argparse
import contextlib
import io

from scrapy.utils.project import get_project_settings


def run_in_process(module, *argv: str) -> tuple[int, str, str]:
    command = module.Command()
    command.settings = get_project_settings()
    parser = argparse.ArgumentParser()
    command.add_options(parser)
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        command.run(opts.args, opts)
    return getattr(command, "exitcode", 0) or 0, out.getvalue(), err.getvalue()
