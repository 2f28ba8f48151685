"""The CLI through click's CliRunner: build, help texts, README coverage, exports in the repo."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner

from graph.cli import cli
from tests.repo import EXPORTS_DIR, ROOT


def test_build_writes_cases_json_and_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # The whole embedded casebook: 11 + 4 cases; 取組地域 names 10 municipalities in part 1
    # and adds 葛飾区 and 川崎市 in part 2 (横浜市 twice); 埼玉・千葉・東京・神奈川.
    assert "15 cases, 15 organisations, 12 municipalities in 4 prefectures, 0 warnings" in (
        result.output
    )
    assert (tmp_path / "cases.json").is_file()


def test_build_is_deterministic(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        assert runner.invoke(cli, ["build", "--out", str(tmp_path / name)]).exit_code == 0
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_committed_exports_are_reproduced(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in tmp_path.iterdir())
    for name in built:
        committed = EXPORTS_DIR / name
        assert committed.is_file(), f"exports/{name} is not committed; run `tsunagari build`"
        assert committed.read_bytes() == (tmp_path / name).read_bytes(), (
            f"exports/{name} is stale; run `tsunagari build`"
        )


def _commands() -> list[str]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands)


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    exports_readme = (EXPORTS_DIR / "README.md").read_text(encoding="utf-8")
    for name in _commands():
        command = cli.commands[name]  # type: ignore[attr-defined]
        assert command.help, f"tsunagari {name} has no help text"
        assert re.search(rf"tsunagari {name}\b", readme), f"README does not show tsunagari {name}"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
    assert "tsunagari build" in exports_readme


def test_every_export_is_listed_in_exports_readme() -> None:
    listed = (EXPORTS_DIR / "README.md").read_text(encoding="utf-8")
    for path in sorted(EXPORTS_DIR.iterdir()):
        if path.name != "README.md" and not path.name.startswith("."):
            assert f"`{path.name}`" in listed, f"exports/{path.name} missing from exports/README.md"
