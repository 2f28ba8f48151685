"""Command-line interface: the only module that talks to the terminal."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graph.errors import InputError, StrictError, TsunagariError
from graph.resources import NETWORK_HTML, TURTLE_FILE, casebook_dir

if TYPE_CHECKING:  # the reader (and the pipeline) load only for the commands that read
    from graph.reader.casebook import ReadResult

EXIT_BAD_INPUT = InputError.exit_code
EXPORTS = Path("exports")  # in the directory the user stands in

# What must never reach a terminal raw: C0 controls but tab and newline (ESC starts CSI/OSC
# sequences, BEL ends OSC, CR overwrites a line), DEL, C1 controls (U+009B is a one-byte CSI),
# the line/paragraph separators and the bidirectional controls that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                     "\u2066-\u2069]")  # fmt: skip


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sanitise(text: str) -> str:
    """Text safe to print: every control or bidi override shown escaped (ESC → ``\\x1b``).

    Casebook text, store error bodies and file names are untrusted; everything the CLI prints
    goes through :func:`echo`, so this is the one place that decides what reaches a terminal.
    """
    return _UNSAFE.sub(_escape, text)


def echo(message: object = "", err: bool = False) -> None:
    """The only way this module prints: :func:`sanitise`, then ``click.echo``."""
    click.echo(sanitise(str(message)), err=err)


def _progress(files: list[Path]) -> Any:
    # A bar only helps when there is more than a handful of files to wait for.
    from tqdm import tqdm

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
_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


class _Size(click.ParamType):
    """A size in bytes: ``256M``, ``1G``, ``64k`` or a plain number."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        found = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*", str(value))
        if not found or int(found.group(1)) == 0:
            self.fail(f"{value!r} is not a size such as 256M, 1G or 500000", param, ctx)
        return int(found.group(1)) * _SIZE_UNITS[found.group(2).upper()]


def _default_max_file_size() -> int:
    from graph.reader.casebook import DEFAULT_MAX_FILE_SIZE

    return DEFAULT_MAX_FILE_SIZE


_MAX_FILE_SIZE = click.option(
    "--max-file-size",
    type=_Size(),
    default=_default_max_file_size,
    show_default="256M",
    help="Refuse casebook files larger than this (e.g. 64M, 1G).",
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
        except click.ClickException as exc:  # usage errors quote the user's arguments
            exc.message = sanitise(exc.message)  # type: ignore[misc]
            raise
        except TsunagariError as exc:
            # Not loaded means not raised: `query` and `serve` start without the validator.
            shacl = sys.modules.get("graph.validate.shacl")
            invalid = shacl is not None and isinstance(exc, shacl.ValidationError)
            what = "the graph is invalid: " if invalid else ""
            echo(f"error: {what}{exc}", err=True)
            if ctx.invoked_subcommand in _WRITERS:
                echo("no export written", err=True)
            sys.exit(exc.exit_code)


_WRITERS = {"build", "view"}  # commands that write the export set (all files or none)


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
@_MAX_FILE_SIZE
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also keep the validated graph as an on-disk Oxigraph store here, for "
    "`tsunagari query --store` (replaced only when the build succeeds).",
)
@click.option(
    "--parallel/--sequential",
    default=False,
    show_default=True,
    help="--parallel validates in a thread and writes TriG in a forked worker beside Turtle "
    "and the network (faster on two free cores, more memory); --sequential runs one stage "
    "at a time.",
)
def build(
    inputs: tuple[Path, ...],
    out_dir: Path,
    strict: bool,
    use_cache: bool,
    cache_dir: Path | None,
    corpus_root: Path | None,
    max_file_size: int | None = None,
    store_dir: Path | None = None,
    parallel: bool = False,
) -> None:
    """Read casebooks (default: the embedded chapters) and write all exports."""
    import tempfile

    from graph.pipeline import install_store, run_build, write_outputs
    from graph.reader.cache import ReadCache

    paths = list(inputs) or [casebook_dir()]
    if max_file_size is None:  # called as a function (``view``), not from the command line
        max_file_size = _default_max_file_size()
    cache = ReadCache(cache_dir / "read" if cache_dir else None) if use_cache else None

    def report(read: ReadResult) -> None:  # before any later stage can fail
        for notice in read.notices:
            echo(f"notice: {notice}", err=True)
        for w in read.warnings:
            echo(f"warning: {w['file']}:{w['line']}: [{w['field']}] {w['message']}", err=True)
        if strict and read.warnings:
            raise StrictError(f"{len(read.warnings)} warnings with --strict")

    staging = None
    if store_dir is not None:
        store_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = tempfile.TemporaryDirectory(prefix=f".{store_dir.name}.", dir=store_dir.parent)
    try:
        result = run_build(paths, _progress, cache, corpus_root=corpus_root, on_read=report,
                           max_file_size=max_file_size, parallel=parallel,
                           store_dir=Path(staging.name) / "store" if staging else None)
    except BaseException:
        if staging is not None:
            staging.cleanup()
        raise
    for message in result.graph_warnings:
        echo(f"warning: {message}", err=True)
    written = write_outputs(result.outputs, out_dir)
    if staging is not None and store_dir is not None:
        install_store(Path(staging.name) / "store", store_dir)
        staging.cleanup()
        written.append(store_dir)
    s = result.summary
    echo(
        f"{s['cases']} cases, {s['organisations']} organisations, "
        f"{s['municipalities']} municipalities in {s['prefectures']} prefectures, "
        f"{s['warnings']} warnings; {s['triples']} triples, SHACL-valid"
    )
    if cache is not None and cache.hits:
        echo(
            f"{cache.hits} of {cache.hits + cache.misses} casebook files unchanged: "
            "records taken from the cache"
        )
    _echo_shared(s["shared"])
    for path in written:
        echo(f"wrote {path}")


def _warn_if_insecure(endpoint: str, insecure: bool) -> None:
    """Say so when --insecure lets credentials go over plain http."""
    from graph.sparql.client import credentials_from_env, sends_secret_in_clear

    if insecure and sends_secret_in_clear(endpoint, credentials_from_env()):
        echo("warning: --insecure: credentials go over plain http, readable on the way", err=True)


def _settled(*paths: Path) -> None:
    """Before a command reads exports: finish a switch that a killed build left half done
    (see graph.output), so that it reads one whole set."""
    from graph.output import JOURNAL, recover

    for folder in sorted({p.parent for p in paths}):
        if (folder / JOURNAL).is_file():
            try:
                recover(folder)
            except TsunagariError as exc:  # e.g. read-only: read what is there, and say so
                echo(f"warning: {folder}: an interrupted build left the exports half "
                     f"switched and finishing it failed ({exc}); run tsunagari build", err=True)


_SHARED_SHOWN = 20  # rows of the build summary; `tsunagari partners --shared` lists all
_ORGS_SHOWN = 5


def _echo_shared(shared: list[tuple[str, str, list[str]]]) -> None:
    if not shared:
        echo("shared collaborators (partner bodies linked to 2+ organisations): none")
        return
    echo(f"shared collaborators (partner bodies linked to 2+ organisations): {len(shared)}")
    for _ref, label, orgs in shared[:_SHARED_SHOWN]:
        more = f" … and {len(orgs) - _ORGS_SHOWN} more" if len(orgs) > _ORGS_SHOWN else ""
        echo(f"  {label} ({len(orgs)}): {'、'.join(orgs[:_ORGS_SHOWN])}{more}")
    if len(shared) > _SHARED_SHOWN:
        echo(f"  … {len(shared) - _SHARED_SHOWN} more: tsunagari partners --shared lists all")


@cli.command()
@_INPUTS
@click.option("--shared", is_flag=True, help="Only bodies linked to two or more organisations.")
@_CORPUS_ROOT
@_MAX_FILE_SIZE
def partners(inputs: tuple[Path, ...], shared: bool, corpus_root: Path | None,
             max_file_size: int) -> None:  # fmt: skip
    """List partner bodies with the organisations that name them."""
    from graph.partners.extract import partner_bodies
    from graph.reader.casebook import read_casebooks

    read = read_casebooks(list(inputs) or [casebook_dir()], corpus_root=corpus_root,
                          max_file_size=max_file_size)  # fmt: skip
    rows = partner_bodies(read.records)
    if shared:
        rows = [b for b in rows if len(b.orgs) >= 2 and not b.generic]
        if not rows:
            echo("no partner body is named by two or more organisations")
    for body in rows:
        mark = " (generic)" if body.generic else ""
        echo(f"{body.label}\t[{body.category}]{mark}\t{len(body.orgs)}")
        for org, roles in sorted(body.orgs.items()):
            role = f" — {'、'.join(roles)}" if roles else ""
            echo(f"\t{org}{role}")


_TIMEOUT = click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Stop a query after this many seconds.",
)
_INSECURE = click.option(
    "--insecure",
    is_flag=True,
    help="Allow basic/bearer credentials over plain http to another machine.",
)


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
@_TIMEOUT
@click.option(
    "--cors",
    "cors",
    default=None,
    metavar="ORIGIN",
    help="Let pages from ORIGIN (e.g. https://example.org, or *) query the endpoint.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Serve the on-disk store of `tsunagari build --store DIR` as it is (read-only, "
    "nothing loaded or copied; the directory is left in place) instead of --data.",
)
def serve(data: Path | None, host: str, port: int, timeout: float, cors: str | None,
          store_dir: Path | None = None) -> None:
    """Serve the export as a read-only SPARQL 1.1 endpoint with a query page, until Ctrl-C.

    SERVICE (federated) queries are refused; each query is stopped after --timeout seconds.
    Ctrl-C, SIGTERM and SIGHUP stop the server and delete its temporary store (a store given
    with --store is kept).
    """
    from graph.sparql.serve import (
        DEFAULT_DATA,
        serve_until_stopped,
        start_server,
        stopped_by_signals,
    )

    if store_dir is not None and data is not None:
        raise InputError("give one of --store DIR or --data FILE")
    if store_dir is None:
        _settled(data or DEFAULT_DATA)
    code = None
    with stopped_by_signals():
        server = start_server(
            None if store_dir is not None else data or DEFAULT_DATA,
            host=host, port=port, timeout=timeout, cors=cors, store=store_dir,
        )  # fmt: skip

        def announce() -> None:
            echo(f"SPARQL endpoint: {server.query_url}  (query page: {server.url}; "
                       "read-only)")
            echo("Ctrl-C stops it.")

        code = serve_until_stopped(server, announce)
    if code is not None:
        echo(f"error: the SPARQL server stopped with code {code}\n{server.log()}", err=True)
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
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Give up on one request after this many seconds (retried).",
)
@_INSECURE
def push(
    endpoint: str,
    graph_iri: str | None,
    query_endpoint: str | None,
    data: Path | None,
    timeout: float,
    insecure: bool,
) -> None:
    """Replace a named graph in a triple store with the build, in one request, and verify it.

    Credentials come from TSUNAGARI_PUSH_USER + TSUNAGARI_PUSH_PASSWORD (basic, or digest with
    TSUNAGARI_PUSH_AUTH=digest) or TSUNAGARI_PUSH_TOKEN, never from the command line. They go
    to the endpoint's origin only: a redirect to another host is refused.
    """
    from graph.sparql.push import DEFAULT_DATA, DEFAULT_GRAPH_IRI, push_graph

    _settled(data or DEFAULT_DATA)
    _warn_if_insecure(endpoint, insecure)
    result = push_graph(
        endpoint,
        data or DEFAULT_DATA,
        graph_iri=graph_iri or DEFAULT_GRAPH_IRI,
        query_endpoint=query_endpoint,
        timeout=timeout,
        insecure=insecure,
    )
    echo(
        f"pushed {result.triples} triples to <{result.graph_iri}> at {result.store_url} "
        f"(read back and compared at {result.query_url}: identical, sha256 "
        f"{result.digest[:12]}…; {result.attempts} attempt(s))"
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
    _settled(page)
    if not page.is_file():
        raise InputError(f"{page} does not exist; run tsunagari build")
    echo(f"network view: {page.resolve().as_uri()}")
    if open_page:
        click.launch(str(page))


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def validate(file: Path | None) -> None:
    """Validate an RDF file against the SHACL shapes (default: ./exports/tsunagari.ttl)."""
    from graph.validate.shacl import validate_file

    path = file or EXPORTS / TURTLE_FILE
    _settled(path)
    report = validate_file(path)
    if not report.conforms:
        echo(report.text(), err=True)
        sys.exit(1)
    echo(f"{path}: conforms to the shapes")


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
@_TIMEOUT
@click.option(
    "--endpoint",
    default=None,
    help="Query this SPARQL 1.1 endpoint instead of local files (e.g. after push).",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="With --endpoint: query this named graph as the default graph (FROM <IRI>).",
)
@_INSECURE
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
    timeout: float,
    endpoint: str | None,
    graph_iri: str | None,
    insecure: bool,
    store_dir: Path | None = None,
) -> None:
    """Run a SPARQL query (a .rq file or --name of a bundled one); never modifies the data.

    Locally, SERVICE (federated) queries are refused: nothing leaves this machine. With
    --endpoint the query goes to that server only (credentials as for push, from the
    environment; no redirects to other hosts).
    """
    from graph.sparql.query import bundled_queries, format_result, run_query, run_remote_query

    if list_queries:
        for qname, q in sorted(bundled_queries().items()):
            params = ", ".join(q.params) or "-"
            echo(f"{qname}\t{q.title}\t(parameters: {params})")
        return
    if (query_file is None) == (name is None):
        raise InputError("give either a .rq file or --name NAME (see --list)")
    if sum(x is not None and x != () for x in (endpoint, store_dir, data or None)) > 1:
        raise InputError("give one of --endpoint URL, --store DIR or --data FILE")
    if graph_iri is not None and endpoint is None:
        raise InputError("--graph needs --endpoint (local files: query them with --data)")
    if endpoint is not None:
        _warn_if_insecure(endpoint, insecure)
        result = run_remote_query(
            query_file or str(name),
            endpoint,
            params=_params(param_values),
            timeout=timeout,
            graph=graph_iri,
            insecure=insecure,
        )
    elif store_dir is not None:
        result = run_query(
            query_file or str(name),
            _open_store(store_dir),
            params=_params(param_values),
            timeout=timeout,
        )
    else:
        _settled(*(data or [EXPORTS / TURTLE_FILE]))
        result = run_query(
            query_file or str(name),
            list(data) or EXPORTS / TURTLE_FILE,
            params=_params(param_values),
            timeout=timeout,
        )
    echo(format_result(result, fmt))


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
