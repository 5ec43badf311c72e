"""Every stat akhbar's code counts under `akhbar/...` is explained in the README."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAT = re.compile(r"""["'](akhbar/[a-z_]+(?:/[a-z_0-9]+)+)["']""")


def test_every_literal_stat_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stats = {m.group(1) for path in (ROOT / "akhbar").rglob("*.py")
             for m in STAT.finditer(path.read_text(encoding="utf-8"))}
    assert len(stats) > 20  # the pattern still finds the stats
    missing = sorted(stat for stat in stats
                     if stat not in readme and f".../{stat.rsplit('/', 1)[1]}" not in readme)
    assert not missing, f"stats the README does not explain: {missing}"
