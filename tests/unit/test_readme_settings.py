"""Every akhbar setting of akhbar/defaults.py has a row in one of the README's settings tables."""

import re
from pathlib import Path

from akhbar.addon import default_settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_akhbar_setting_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = set()
    for line in readme.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            rows |= set(re.findall(r"`([A-Z_]+)`", first_cell))
    missing = sorted(name for name in default_settings() if name.startswith("AKHBAR_") and name not in rows)
    assert not missing, f"settings without a README row: {missing}"
