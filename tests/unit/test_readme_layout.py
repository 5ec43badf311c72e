"""The README's Layout section names every module and package of akhbar, and nothing that is gone."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout\n"):]
    return section[section.index("```"):section.index("```", section.index("```") + 3)]


def test_every_module_of_the_package_is_in_the_layout():
    block = layout_block()
    listed = set(re.findall(r"^  (\w+(?:\.py|/))", block, re.M))
    package = ROOT / "akhbar"
    present = {p.name for p in package.glob("*.py") if p.name != "__init__.py"}
    present |= {p.name + "/" for p in package.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert listed == present


def test_every_command_is_named():
    block = layout_block()
    commands_line = block[block.index("commands/"):block.index("spiders/")]
    for command in (ROOT / "akhbar" / "commands").glob("*.py"):
        if command.stem != "__init__":
            assert command.stem in commands_line, command.stem
