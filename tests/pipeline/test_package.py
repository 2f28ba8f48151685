"""The package as a user gets it: the public API, the packaged resources, paths that do not
depend on the directory the build runs in, and the README's library example."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph.cli import cli
from tests.repo import EMBEDDED, ROOT, TURTLE_FILE


def test_public_api_names_resolve() -> None:
    assert graph.__all__ == sorted(graph.__all__)
    for name in graph.__all__:
        assert getattr(graph, name) is not None, name
    with pytest.raises(AttributeError):
        _ = graph.no_such_name


def test_every_sub_package_and_resource_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "graph").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    mapped = config["setuptools"]["package-dir"]
    for package, folder in mapped.items():
        assert (ROOT / folder).is_dir(), folder
        assert package in listed and package in config["setuptools"]["package-data"], package
    # every folder of data/ that the program reads ships in the wheel
    shipped = set(mapped.values())
    for folder in sorted(p for p in (ROOT / "data").iterdir() if p.is_dir()):
        assert f"data/{folder.name}" in shipped, f"data/{folder.name} is not packaged"


def test_resources_resolve_to_the_source_of_truth_in_a_checkout() -> None:
    from graph import resources

    assert resources.vocab_dir() == ROOT / "data" / "vocab"
    assert resources.shapes_file() == ROOT / "ontology" / "shapes.ttl"
    assert sorted(p.name for p in resources.casebook_dir().glob("*.txt")) == sorted(
        p.name for p in (ROOT / "data" / "casebooks").glob("*.txt")
    )
    assert (resources.queries_dir() / "gaps.rq").is_file()
    assert (resources.templates_dir() / "network.js").is_file()


def _build_in(directory: Path, casebook: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    directory.mkdir(parents=True)
    monkeypatch.chdir(directory)
    result = CliRunner().invoke(cli, ["build", str(casebook), "--no-cache"])
    assert result.exit_code == 0, result.output
    return (directory / "exports" / TURTLE_FILE).read_bytes()


def test_same_casebook_from_two_directories_gives_identical_turtle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Relative inputs, absolute inputs, different folders: one graph, written where we stand."""
    first, second = tmp_path / "a" / "corpus", tmp_path / "b" / "elsewhere" / "corpus"
    for folder in (first, second):
        folder.mkdir(parents=True)
        shutil.copy(EMBEDDED, folder / EMBEDDED.name)
    one = _build_in(tmp_path / "run1", first / EMBEDDED.name, monkeypatch)
    two = _build_in(tmp_path / "run2", Path(os.path.relpath(second / EMBEDDED.name)), monkeypatch)
    assert one == two
    assert str(tmp_path).encode() not in one
    assert b"/source/kanto-2024-part1.txt>" in one


def test_corpus_root_names_casebooks_by_their_path_under_it(tmp_path: Path) -> None:
    (tmp_path / "kanto" / "2024").mkdir(parents=True)
    copy = tmp_path / "kanto" / "2024" / EMBEDDED.name
    shutil.copy(EMBEDDED, copy)
    read = graph.read_casebooks([copy], corpus_root=tmp_path)
    assert read.sources == ["kanto/2024/kanto-2024-part1.txt"]
    assert {r["source"]["file"] for r in read.records} == {"kanto/2024/kanto-2024-part1.txt"}


def test_build_writes_exports_and_cache_where_the_user_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("TSUNAGARI_CACHE_DIR", raising=False)
    result = CliRunner().invoke(cli, ["build", str(EMBEDDED)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == sorted(
        graph.resources.EXPORT_FILES
    )
    assert list((tmp_path / "xdg" / "tsunagari" / "read").glob("*.json"))
    result = CliRunner().invoke(
        cli, ["build", str(EMBEDDED), "--out", "o", "--cache-dir", str(tmp_path / "c")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / TURTLE_FILE).is_file()
    assert list((tmp_path / "c" / "read").glob("*.json"))


def test_readme_library_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use as a library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "the README's library section has no python example"
    lines = code.group(1).strip().splitlines()
    assert len(lines) <= 12, "keep the example short"
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    # 不登校の児童生徒 is a ★ target of KOMPOSITION in the first chapter (its 取組の対象 table)
    assert "★ KOMPOSITION" in printed
