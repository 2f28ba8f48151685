"""CLI commands beyond build: partners, query, validate, view, push — success and failure paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from tests.repo import EMBEDDED


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the embedded casebook."""
    out = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(cli, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_partners_lists_bodies_with_roles() -> None:
    code, out = _run("partners")
    assert code == 0
    assert "志木市社会福祉協議会\t[社会福祉協議会]\t1" in out
    assert "\tクラブしっきーず — 情報共有" in out


def test_partners_shared_says_none_on_the_embedded_chapter() -> None:
    assert _run("partners", "--shared") == (
        0,
        "no partner body is named by two or more organisations\n",
    )


def test_partners_shared_finds_a_body_named_twice(tmp_path: Path) -> None:
    text = EMBEDDED.read_text(encoding="utf-8")
    # A second chapter whose case names 志木市社会福祉協議会 (as 社協) too.
    start = text.index("団 体 名：特定非営利活動法人 KOMPOSITION")
    case2 = text[start : text.index("団 体 名：社会福祉法人")]
    case2 = case2.replace("特別なニーズを抱える", "第二期・特別なニーズを抱える")  # a later year
    other = tmp_path / "other.txt"
    case2 = case2.replace("「さくら広場」との連携", "志木市社協、「さくら広場」との連携")
    other.write_text(case2, encoding="utf-8")
    code, out = _run("partners", "--shared", str(EMBEDDED), str(other))
    assert code == 0, out
    assert out.startswith("志木市社会福祉協議会\t[社会福祉協議会]\t2\n")
    assert "\tKOMPOSITION\n" in out and "\tクラブしっきーず — 情報共有\n" in out


def test_query_by_name(built: Path) -> None:
    code, out = _run(
        "query", "--name", "organisations-by-target", "--param", "target=不登校の児童生徒",
        "--param", "mark=★", "--data", str(built / "tsunagari.ttl"), "--format", "csv",
    )  # fmt: skip
    assert code == 0, out
    lines = out.strip().splitlines()
    # ★ 不登校の児童生徒 in the whole embedded casebook: KOMPOSITION (part 1) and
    # 教育支援協会南関東 (part 2)
    assert len(lines) == 3
    assert {line.split(",")[2] for line in lines[1:]} == {"KOMPOSITION", "教育支援協会南関東"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--name", "no-such-query"), "no-such-query"),
        (("--name", "gaps", "--data", "missing.ttl"), "missing.ttl"),
        (("--name", "gaps", "--param", "oops"), "NAME=VALUE"),
        ((), "either a .rq file or --name"),
    ],
)
def test_query_errors(built: Path, args: tuple[str, ...], needle: str) -> None:
    code, out = (
        _run("query", *args)
        if "--data" in args or not args
        else _run("query", *args, "--data", str(built / "tsunagari.ttl"))
    )
    assert code == 2, out
    assert needle in out


def test_query_malformed_file(built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ", encoding="utf-8")
    code, out = _run("query", str(bad), "--data", str(built / "tsunagari.ttl"))
    assert code == 2 and "bad.rq" in out


def test_validate_export_and_broken_file(built: Path, tmp_path: Path) -> None:
    assert _run("validate", str(built / "tsunagari.ttl"))[0] == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix ts: <https://w3id.org/tsunagari/def#> .\n"
        "<https://w3id.org/tsunagari/id/org/x> a ts:Organisation .\n",
        encoding="utf-8",
    )
    code, out = _run("validate", str(broken))
    assert code == 1
    assert "org/x" in out
    code, out = _run("validate", str(tmp_path / "none.ttl"))
    assert code == 2 and "none.ttl" in out


def test_view_rebuilds_and_reports_the_page(tmp_path: Path) -> None:
    code, out = _run("view", "--out", str(tmp_path))
    assert code == 0, out
    assert (tmp_path / "network.html").is_file()
    assert "network view: file://" in out
    code, out = _run("view", "--no-build", "--out", str(tmp_path / "empty"))
    assert code == 2 and "does not exist" in out


def test_push_to_a_closed_port_fails_clearly(built: Path) -> None:
    code, out = _run(
        "push", "--endpoint", "http://127.0.0.1:9/store", "--data", str(built / "tsunagari.trig")
    )
    assert code == 1
    assert "127.0.0.1:9" in out
