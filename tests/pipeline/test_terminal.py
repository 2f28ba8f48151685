"""Everything the CLI prints is sanitised in one place (issue 12, item 3): casebook text,
error messages and store error bodies never put raw control or bidi characters on a terminal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli, sanitise
from graph.errors import SystemFaultError
from tests.repo import EMBEDDED, ROOT

TEXT = EMBEDDED.read_text(encoding="utf-8")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # OSC: set the window title
    ("\x1b[2J\x1b[31m", "\\x1b[2J\\x1b[31m"),  # CSI: clear the screen, red
    ("\x9b31m", "\\x9b31m"),  # the one-byte C1 CSI
    ("ok\rfake", "ok\\x0dfake"),  # a carriage return overwrites the line
    ("\u202eabc\u2066", "\\u202eabc\\u2066"),  # bidi override and isolate
    ("\x00\x7f\u2028", "\\x00\\x7f\\u2028"),
    ("団体名\tクラブ\n次の行", "団体名\tクラブ\n次の行"),  # text, tabs and newlines stay
])  # fmt: skip
def test_sanitise(raw: str, shown: str) -> None:
    assert sanitise(raw) == shown


def test_casebook_text_in_warnings_is_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "hostile.txt"
    row = "目的\t本事業の"
    assert row in TEXT
    bad.write_text(TEXT.replace(row, "備考\x1b]0;pwned\x07\u202e\tx\n" + row, 1), "utf-8")
    result = CliRunner().invoke(cli, ["build", str(bad), "--no-cache", "--out",
                                      str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.output.replace("\n", "").replace("\t", ""))
    assert "unknown row label 備考\\x1b]0;pwned\\x07\\u202e" in result.output


def test_store_error_bodies_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.sparql.push as push

    def hostile(*args: object, **kwargs: object) -> None:
        raise SystemFaultError("the store answered 500: \x1b[2J\x1b]8;;http://evil/\x07click")

    monkeypatch.setattr(push, "push_graph", hostile)
    result = CliRunner().invoke(cli, ["push", "--endpoint", "http://127.0.0.1:9/store"])
    assert result.exit_code == 1
    assert result.output.startswith("error: the store answered 500: \\x1b[2J\\x1b]8;;")
    assert not RAW.search(result.output.replace("\n", ""))


def test_usage_errors_quoting_arguments_are_escaped() -> None:
    result = CliRunner().invoke(cli, ["\x1b[31mbuild"])
    assert result.exit_code == 2
    assert "\\x1b[31mbuild" in result.output and "\x1b" not in result.output


def test_the_cli_prints_only_through_echo() -> None:
    source = (ROOT / "graph" / "cli.py").read_text(encoding="utf-8")
    assert source.count("click.echo(") == 1  # inside echo()
    assert "print(" not in source and "sys.stdout" not in source
    assert "click.secho(" not in source and ".write(" not in source
