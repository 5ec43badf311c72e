"""Shared test configuration.

With AKHBAR_FORBID_SKIPS=1 (set by .ci/run, where ../shared and every service exist), a
skipped test fails the run: a corpus or service test that silently skipped would prove nothing.
"""

import os

import pytest

FORBID_SKIPS = os.environ.get("AKHBAR_FORBID_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if FORBID_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped where skips are forbidden (AKHBAR_FORBID_SKIPS=1): {reason}"
