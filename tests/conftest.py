"""Shared test configuration.

With AKHBAR_FORBID_SKIPS=1 (set by .ci/run, where ../shared and every service exist), a
skipped test fails the run: a corpus or service test that silently skipped would prove nothing.

With AKHBAR_FAST_PASS=1 (CI's first pass, the one without ../shared), tests marked ``slow`` are
skipped with the reason: each reads only pages and documents of the project's own, so CI's full
pass, which runs them, tells all they can tell.
"""

import os

import pytest

FORBID_SKIPS = os.environ.get("AKHBAR_FORBID_SKIPS") == "1"
FAST_PASS = os.environ.get("AKHBAR_FAST_PASS") == "1"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: several seconds or more, and independent of ../shared "
                                       "(skipped under AKHBAR_FAST_PASS=1)")


def pytest_collection_modifyitems(config, items):
    if not FAST_PASS:
        return
    skip = pytest.mark.skip(reason="slow: AKHBAR_FAST_PASS=1 (CI's first pass); CI's full pass runs it")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if FORBID_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped where skips are forbidden (AKHBAR_FORBID_SKIPS=1): {reason}"
