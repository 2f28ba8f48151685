"""Command-line interface: the only module that talks to the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from graph.errors import InputError, TsunagariError
from graph.pipeline import run_build, write_outputs
from graph.resources import NETWORK_HTML, TURTLE_FILE, casebook_dir
from graph.validate.shacl import ValidationError

EXIT_BAD_INPUT = InputError.exit_code
EXPORTS = Path("exports")  # in the directory the user stands in


def _progress(files: list[Path]) -> Any:
    # A bar only helps when there is more than a handful of files to wait for.
    return tqdm(files, desc="reading", unit="file", disable=len(files) < 5, file=sys.stderr)


_INPUTS = click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
_OUT_DIR = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=EXPORTS,
    show_default="./exports",
    help="Directory for the exports.",
)
_CORPUS_ROOT = click.option(
    "--corpus-root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Name casebooks by their path under this folder (default: by file name).",
)


class _Group(click.Group):
    """The one place where library errors become a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            click.echo(f"error: the graph is invalid: {exc}", err=True)
            click.echo("no export written", err=True)
            sys.exit(exc.exit_code)
        except TsunagariError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tsunagari-graph")
def cli() -> None:
    """tsunagari-graph: casebooks of NPO work against loneliness → knowledge graph."""


@cli.command()
@_INPUTS
@_OUT_DIR
@click.option("--strict", is_flag=True, help="Fail (exit 2) when any field gives a warning.")
@click.option(
    "--cache/--no-cache",
    "use_cache",
    default=True,
    show_default=True,
    help="Reuse the records of casebook files that did not change.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the read cache lives.  [default: $XDG_CACHE_HOME/tsunagari or ~/.cache/tsunagari]",
)
@_CORPUS_ROOT
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also keep the validated graph as an on-disk Oxigraph store here, for "
    "`tsunagari query --store` (replaced only when the build succeeds).",
)
def build(
    inputs: tuple[Path, ...],
    out_dir: Path,
    strict: bool,
    use_cache: bool,
    cache_dir: Path | None,
    corpus_root: Path | None,
    store_dir: Path | None = None,
) -> None:
    """Read casebooks (default: the embedded chapters) and write all exports."""
    import tempfile

    from graph.pipeline import install_store
    from graph.reader.cache import ReadCache

    paths = list(inputs) or [casebook_dir()]
    cache = ReadCache(cache_dir / "read" if cache_dir else None) if use_cache else None
    staging = None
    if store_dir is not None:
        store_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = tempfile.TemporaryDirectory(prefix=f".{store_dir.name}.", dir=store_dir.parent)
    try:
        result = run_build(paths, _progress, cache, corpus_root=corpus_root,
                           store_dir=Path(staging.name) / "store" if staging else None)
    except TsunagariError as exc:
        if staging is not None:
            staging.cleanup()
        click.echo(f"error: {exc}", err=True)
        click.echo("no export written", err=True)
        sys.exit(exc.exit_code)
    for message in result.graph_warnings:
        click.echo(f"warning: {message}", err=True)
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
    if staging is not None and store_dir is not None:
        install_store(Path(staging.name) / "store", store_dir)
        staging.cleanup()
        written.append(store_dir)
    s = result.summary
    click.echo(
        f"{s['cases']} cases, {s['organisations']} organisations, "
        f"{s['municipalities']} municipalities in {s['prefectures']} prefectures, "
        f"{s['warnings']} warnings; {s['triples']} triples, SHACL-valid"
    )
    if cache is not None and cache.hits:
        click.echo(
            f"{cache.hits} of {cache.hits + cache.misses} casebook files unchanged: "
            "records taken from the cache"
        )
    _echo_shared(s["shared"])
    for path in written:
        click.echo(f"wrote {path}")


_SHARED_SHOWN = 20  # rows of the build summary; `tsunagari partners --shared` lists all
_ORGS_SHOWN = 5


def _echo_shared(shared: list[tuple[str, str, list[str]]]) -> None:
    if not shared:
        click.echo("shared collaborators (partner bodies linked to 2+ organisations): none")
        return
    click.echo(f"shared collaborators (partner bodies linked to 2+ organisations): {len(shared)}")
    for _ref, label, orgs in shared[:_SHARED_SHOWN]:
        more = f" … and {len(orgs) - _ORGS_SHOWN} more" if len(orgs) > _ORGS_SHOWN else ""
        click.echo(f"  {label} ({len(orgs)}): {'、'.join(orgs[:_ORGS_SHOWN])}{more}")
    if len(shared) > _SHARED_SHOWN:
        click.echo(f"  … {len(shared) - _SHARED_SHOWN} more: tsunagari partners --shared lists all")


@cli.command()
@_INPUTS
@click.option("--shared", is_flag=True, help="Only bodies linked to two or more organisations.")
@_CORPUS_ROOT
def partners(inputs: tuple[Path, ...], shared: bool, corpus_root: Path | None) -> None:
    """List partner bodies with the organisations that name them."""
    from graph.partners.extract import partner_bodies
    from graph.reader.casebook import read_casebooks

    read = read_casebooks(list(inputs) or [casebook_dir()], corpus_root=corpus_root)
    rows = partner_bodies(read.records)
    if shared:
        rows = [b for b in rows if len(b.orgs) >= 2 and not b.generic]
        if not rows:
            click.echo("no partner body is named by two or more organisations")
    for body in rows:
        mark = " (generic)" if body.generic else ""
        click.echo(f"{body.label}\t[{body.category}]{mark}\t{len(body.orgs)}")
        for org, roles in sorted(body.orgs.items()):
            role = f" — {'、'.join(roles)}" if roles else ""
            click.echo(f"\t{org}{role}")


@cli.command()
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TriG/Turtle/N-Triples file to serve.  [default: exports/tsunagari.trig]",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; anything but loopback exposes it without authentication.",
)
@click.option("--port", type=int, default=7878, show_default=True, help="Port to listen on.")
def serve(data: Path | None, host: str, port: int) -> None:
    """Serve the export as a read-only SPARQL 1.1 endpoint (Oxigraph) until Ctrl-C."""
    from graph.sparql.serve import DEFAULT_DATA, start_server

    server = start_server(data or DEFAULT_DATA, host=host, port=port)
    click.echo(f"SPARQL endpoint: {server.query_url}  (query page: {server.url}; read-only)")
    click.echo("Ctrl-C stops it.")
    code = 0
    try:
        code = server.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        server.stop()
    if code not in (0, -2):
        click.echo(f"error: the server stopped with code {code}\n{server.log()}", err=True)
        sys.exit(1)


@cli.command()
@click.option(
    "--endpoint",
    required=True,
    help="SPARQL 1.1 Graph Store URL, e.g. http://127.0.0.1:7878/store.",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    help="Named graph to replace.  [default: https://w3id.org/tsunagari/id/graph/build]",
)
@click.option(
    "--query-endpoint",
    default=None,
    help="SPARQL query URL for the check (derived from --endpoint when known).",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Export to upload.  [default: exports/tsunagari.trig]",
)
def push(
    endpoint: str, graph_iri: str | None, query_endpoint: str | None, data: Path | None
) -> None:
    """Replace a named graph in a triple store with the build, in one request, and verify it.

    Credentials come from TSUNAGARI_PUSH_USER + TSUNAGARI_PUSH_PASSWORD or
    TSUNAGARI_PUSH_TOKEN, never from the command line.
    """
    from graph.sparql.push import DEFAULT_DATA, DEFAULT_GRAPH_IRI, push_graph

    result = push_graph(
        endpoint,
        data or DEFAULT_DATA,
        graph_iri=graph_iri or DEFAULT_GRAPH_IRI,
        query_endpoint=query_endpoint,
    )
    click.echo(
        f"pushed {result.triples} triples to <{result.graph_iri}> at {result.store_url} "
        f"(verified at {result.query_url}; {result.attempts} attempt(s))"
    )


@cli.command()
@_INPUTS
@_OUT_DIR
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@click.option("--no-build", is_flag=True, help="Open the existing page without rebuilding.")
def view(inputs: tuple[Path, ...], out_dir: Path, open_page: bool, no_build: bool) -> None:
    """Rebuild the exports (incl. network.html) and optionally open the network view."""
    page = out_dir / NETWORK_HTML
    if not no_build:
        ctx = click.get_current_context()
        ctx.invoke(build, inputs=inputs, out_dir=out_dir, strict=False, use_cache=True,
                   cache_dir=None, corpus_root=None)
    if not page.is_file():
        raise InputError(f"{page} does not exist; run tsunagari build")
    click.echo(f"network view: {page.resolve().as_uri()}")
    if open_page:
        click.launch(str(page))


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def validate(file: Path | None) -> None:
    """Validate an RDF file against the SHACL shapes (default: ./exports/tsunagari.ttl)."""
    from graph.validate.shacl import validate_file

    path = file or EXPORTS / TURTLE_FILE
    report = validate_file(path)
    if not report.conforms:
        click.echo(report.text(), err=True)
        sys.exit(1)
    click.echo(f"{path}: conforms to the shapes")


def _params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[name] = value
    return params


@cli.command()
@click.argument("query_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="A bundled query (see --list).")
@click.option("--list", "list_queries", is_flag=True, help="List the bundled queries.")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="RDF file(s) to query.  [default: ./exports/tsunagari.ttl]",
)
@click.option("--param", "param_values", multiple=True, help="NAME=VALUE for a query parameter.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--timeout", type=float, default=None, help="Give up after this many seconds.")
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Query the on-disk store of `tsunagari build --store DIR` (opened read-only, "
    "nothing loaded) instead of --data.",
)
def query(
    query_file: Path | None,
    name: str | None,
    list_queries: bool,
    data: tuple[Path, ...],
    param_values: tuple[str, ...],
    fmt: str,
    timeout: float | None,
    store_dir: Path | None = None,
) -> None:
    """Run a SPARQL query (a .rq file or --name of a bundled one); never modifies the data."""
    from graph.sparql.query import bundled_queries, format_result, run_query

    if list_queries:
        for qname, q in sorted(bundled_queries().items()):
            params = ", ".join(q.params) or "-"
            click.echo(f"{qname}\t{q.title}\t(parameters: {params})")
        return
    if (query_file is None) == (name is None):
        raise InputError("give either a .rq file or --name NAME (see --list)")
    if store_dir is not None and data:
        raise InputError("give either --store DIR or --data FILE, not both")
    result = run_query(
        query_file or str(name),
        _open_store(store_dir) if store_dir is not None else list(data) or EXPORTS / TURTLE_FILE,
        params=_params(param_values),
        timeout=timeout,
    )
    click.echo(format_result(result, fmt))


def _open_store(path: Path) -> Any:
    """The store ``tsunagari build --store`` kept, opened read-only."""
    import pyoxigraph as ox

    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise InputError(f"{path}: not an Oxigraph store ({err})") from err


def main() -> None:
    """Entry point of the ``tsunagari`` console script."""
    cli()
