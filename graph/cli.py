"""Command-line interface: the only module that talks to the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from graph.build import run_build, write_outputs
from graph.casebook import CasebookError
from graph.paths import CASEBOOK_DIR, EXPORTS_DIR, display_path

EXIT_BAD_INPUT = 2


def _progress(files: list[Path]) -> Any:
    # A bar only helps when there is more than a handful of files to wait for.
    return tqdm(files, desc="reading", unit="file", disable=len(files) < 5, file=sys.stderr)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tsunagari-graph")
def cli() -> None:
    """tsunagari-graph: casebooks of NPO work against loneliness → knowledge graph."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=EXPORTS_DIR,
    show_default="exports/",
    help="Directory for the exports.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 2) when any field gives a warning.")
def build(inputs: tuple[Path, ...], out_dir: Path, strict: bool) -> None:
    """Read casebooks (default: data/casebooks/*.txt) and write all exports."""
    paths = list(inputs) or [CASEBOOK_DIR]
    try:
        result = run_build(paths, _progress)
    except CasebookError as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("no export written", err=True)
        sys.exit(EXIT_BAD_INPUT)
    for notice in result.read.notices:
        click.echo(f"notice: {notice}", err=True)
    for warning in result.read.warnings:
        click.echo(
            f"warning: {warning['file']}:{warning['line']}: [{warning['field']}] "
            f"{warning['message']}",
            err=True,
        )
    if strict and result.read.warnings:
        click.echo(
            f"error: {len(result.read.warnings)} warnings with --strict; no export written",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    written = write_outputs(result.outputs, out_dir)
    s = result.summary
    click.echo(
        f"{s['cases']} cases, {s['organisations']} organisations, "
        f"{s['municipalities']} municipalities in {s['prefectures']} prefectures, "
        f"{s['warnings']} warnings"
    )
    for path in written:
        click.echo(f"wrote {display_path(path)}")


def main() -> None:
    """Entry point of the ``tsunagari`` console script."""
    cli()
