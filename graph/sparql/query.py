"""SPARQL over the exported graph with pyoxigraph: bundled queries, parameters, timeouts.

Data files are read into a fresh in-memory store, so a query can never change them; update
requests (INSERT, DELETE …) are not queries and are refused by the parser.

Queries never reach out: Oxigraph would run a ``SERVICE <url> { … }`` clause by sending the
query to that URL, so :func:`refuse_service` rejects any query with a SERVICE clause before it
runs (here and in ``tsunagari serve``). A query runs in a forked child with a timeout
(:data:`DEFAULT_TIMEOUT_S` unless told otherwise), so a runaway query is stopped, not waited for.
:func:`run_remote_query` sends a query to another SPARQL endpoint instead (``--endpoint``).

Bundled queries live in ``graph/queries/*.rq``. Each starts with a comment header: a title
line, a description, and one ``# @param NAME: text`` line per parameter. A parameter is a
``VALUES ?NAME { default }`` clause in the query, so every file is plain SPARQL that runs
as-is in any engine; :func:`run_query` replaces the clause's content with the given value.

A ``# @set NAME "SEPARATOR": text`` line marks a result column as a set of items joined by
SEPARATOR (a GROUP_CONCAT). SPARQL leaves the order of GROUP_CONCAT unspecified, and an
ORDER BY in a subquery does not fix it either, so :func:`run_query` splits such a column on
its separator, sorts the pieces by code point and joins them again: the output is the same
on every run and every engine. Other engines (``tsunagari serve``) return the items in the
order they happen to produce.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import InputError, SystemFaultError
from graph.parallel import gc_paused
from graph.rdf import io as rdf_io
from graph.rdf.build import KnowledgeGraph
from graph.rdf.namespaces import PREFIXES
from graph.resources import queries_dir
from graph.sparql import client

FORMATS = ("table", "csv", "json")
DEFAULT_TIMEOUT_S = 60.0


class QueryError(InputError):
    """Base of every query failure; the message is meant for the user."""


class UnknownQueryError(QueryError):
    """No bundled query has that name."""


class QueryFileError(QueryError):
    """A query or data file is missing or unreadable."""


class QuerySyntaxError(QueryError):
    """The query is not valid SPARQL (or is an update)."""


class QueryTimeoutError(QueryError):
    """The query ran longer than the timeout and was stopped."""


class QueryParameterError(QueryError):
    """A parameter the query does not declare, or a value that cannot be used."""


class ServiceRefusedError(QueryError):
    """The query has a SERVICE clause, which would make the engine send requests elsewhere."""


class QueryEngineError(SystemFaultError):
    """The engine failed while running a valid query (I/O, a crashed worker)."""


@dataclass(frozen=True)
class Query:
    """A SPARQL query with its documentation header."""

    name: str
    text: str
    title: str
    description: str
    params: Mapping[str, str]  # name → description
    path: Path | None = None
    sets: Mapping[str, str] = field(default_factory=dict)  # column → separator


@dataclass(frozen=True)
class QueryResult:
    """Solutions of a SELECT (or the boolean of an ASK, or the triples of a CONSTRUCT)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...], ...]
    boolean: bool | None = None
    graph: bytes | None = None  # N-Triples of a CONSTRUCT / DESCRIBE

    def values(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain values (IRI text, literal lexical form), for tests and code."""
        return [
            {var: _plain(term) for var, term in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]


_PARAM = re.compile(r"^#\s*@param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$")
_SET = re.compile(r'^#\s*@set\s+([A-Za-z_][A-Za-z0-9_]*)\s+("(?:[^"\\]|\\.)+")\s*(?::.*)?$')


def parse_query(text: str, name: str = "query", path: Path | None = None) -> Query:
    """Read the header comments of a query (title, description, @param and @set lines)."""
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    params: dict[str, str] = {}
    sets: dict[str, str] = {}
    prose: list[str] = []
    for line in header:
        match = _PARAM.match(line)
        set_match = _SET.match(line)
        if match:
            params[match.group(1)] = match.group(2).strip()
        elif set_match:
            sets[set_match.group(1)] = json.loads(set_match.group(2))
        elif re.match(r"^#\s*@set\b", line):
            raise QuerySyntaxError(
                f"{name}: expected '# @set NAME \"SEPARATOR\": text', got {line!r}")
        else:
            prose.append(line.lstrip("#").strip())
    paragraphs = [p.strip() for p in "\n".join(prose).split("\n\n") if p.strip()]
    title = paragraphs[0].replace("\n", " ") if paragraphs else name
    description = " ".join(" ".join(paragraphs[1:]).split())
    for param in params:
        if not re.search(rf"VALUES\s+\?{param}\s*\{{[^}}]*\}}", text):
            raise QuerySyntaxError(
                f"{name}: @param {param} has no 'VALUES ?{param} {{ … }}' clause")
    for column in sets:
        if not re.search(rf"AS\s+\?{column}\b", text):
            raise QuerySyntaxError(f"{name}: @set {column} names no '(… AS ?{column})' column")
    return Query(name, text, title, description, params, path, sets)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Strings (long forms first) and comments: text in which a SERVICE keyword cannot hide.
_INERT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'" r"|#[^\n]*",
)
_SERVICE_WORD = re.compile(r"(?<![\w?$:])SERVICE(?![\w:])", re.IGNORECASE)


def refuse_service(text: str) -> None:
    """Raise :class:`ServiceRefusedError` if the query has (or may have) a SERVICE clause.

    A SERVICE clause makes the engine send a request to any URL the query names: a query must
    never do that here. Two steps: the word SERVICE outside strings and comments (after SPARQL's
    ``\\u`` escapes) is the fast test; only when it is there does rdflib's SPARQL grammar decide
    whether it is a clause (``<http://schema.org/Service>`` is not). A query rdflib cannot parse
    but that mentions SERVICE is refused too: when in doubt, no request.
    """
    unescaped = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    if not _SERVICE_WORD.search(_INERT.sub(" ", unescaped)):
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception as err:  # any parser failure means "cannot tell"
        raise ServiceRefusedError(
            "the query mentions SERVICE and could not be checked, so it is refused: federated "
            f"queries (SERVICE) would make requests to other servers ({_first_line(err)})"
        ) from None
    if "ServiceGraphPattern" in _node_names(tree):
        raise ServiceRefusedError(
            "SERVICE is refused: a federated query would make this program send requests to "
            "another server. Query that endpoint yourself (tsunagari query --endpoint URL)"
        )


def _node_names(tree: Any) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return names


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def json_term(cell: Mapping[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One term of SPARQL JSON results (``typed-literal`` too, as older stores write)."""
    kind = cell["type"]
    value = cell["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind not in ("literal", "typed-literal"):
        raise ValueError(f"unknown term type {kind!r}")
    if "xml:lang" in cell:
        return ox.Literal(value, language=cell["xml:lang"])
    datatype = cell.get("datatype")
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def bundled_queries() -> dict[str, Query]:
    """The queries shipped in ``graph/queries``, by name (file stem)."""
    return {
        path.stem: parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        for path in sorted(queries_dir().glob("*.rq"))
    }


def load_query(name_or_path: str | Path) -> Query:
    """A bundled query by name, or a ``.rq`` file by path."""
    if isinstance(name_or_path, Path) or str(name_or_path).endswith(".rq"):
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryFileError(f"{path}: no such query file") from None
        except (OSError, UnicodeDecodeError) as err:
            raise QueryFileError(f"{path}: cannot read query file: {err}") from err
        return parse_query(text, path.stem, path)
    queries = bundled_queries()
    if name_or_path not in queries:
        known = ", ".join(queries)
        raise UnknownQueryError(f"no bundled query named {name_or_path!r}; known: {known}")
    return queries[str(name_or_path)]


def load_store(paths: Path | Sequence[Path]) -> ox.Store:
    """Read RDF files (format from the suffix: .ttl .trig .nt .nq …) into a fresh store."""
    try:
        return rdf_io.load_store(paths)
    except rdf_io.DataFileError as err:
        raise QueryFileError(str(err)) from err


def _sparql_term(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://\S+$", text):
        if any(c in text for c in '<>"{}|\\^`'):
            raise QueryParameterError(f"not a valid IRI: {text!r}")
        return f"<{text}>"
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid SPARQL string


_LANG_DEFAULT = re.compile(r'^\s*"(?:[^"\\]|\\.)*"(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)\s*$')


def bind_params(query: Query, params: Mapping[str, Any] | None) -> str:
    """The query text with each given parameter's VALUES clause set to the value.

    A string value takes the language tag of the clause's default (``VALUES ?organisation
    { "Arts Alive"@ja }`` given ``甲`` becomes ``"甲"@ja``), so a query can match a label
    as a term, which engines look up directly, instead of filtering every label by STR().
    """
    text = query.text
    for name, value in (params or {}).items():
        if name not in query.params:
            declared = ", ".join(query.params) or "none"
            raise QueryParameterError(
                f"{query.name}: unknown parameter {name!r} (declared: {declared})")
        term = _sparql_term(value)
        pattern = re.compile(rf"(VALUES\s+\?{name}\s*\{{)([^}}]*)(\}})")

        def substitute(match: re.Match[str], term: str = term) -> str:
            tagged = _LANG_DEFAULT.match(match.group(2))
            if tagged and term.startswith('"'):
                term += tagged.group(1)
            return f"{match.group(1)} {term} {match.group(3)}"

        text = pattern.sub(substitute, text)
    return text


def _evaluate(store: ox.Store, text: str) -> QueryResult:
    try:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise QuerySyntaxError(f"malformed SPARQL query: {err}") from err
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryEngineError(f"the query failed: {_first_line(err)}") from err
    if isinstance(result, ox.QueryBoolean):
        return QueryResult((), (), boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
        lines = sorted(set(data.splitlines()))
        return QueryResult((), (), graph=b"".join(line + b"\n" for line in lines))
    variables = tuple(v.value for v in result.variables)
    columns = range(len(variables))  # by position: cheaper than by name on large results
    rows = tuple(tuple(solution[i] for i in columns) for solution in result)
    return QueryResult(variables, rows)


def _worker(store: ox.Store, text: str, conn: Any) -> None:
    # Runs in a forked child, so the store is shared copy-on-write, not reloaded.
    try:
        result = _evaluate(store, text)
        conn.send(("ok", _to_json(result).encode("utf-8"), result.graph))
    except (QueryError, QueryEngineError) as err:
        conn.send(("error", str(err), type(err).__name__))
    except Exception as err:  # the parent must get a message, not an EOF
        conn.send(("error", f"the query failed: {_first_line(err)}", "QueryEngineError"))
    finally:
        conn.close()


def _evaluate_with_timeout(store: ox.Store, text: str, timeout: float) -> QueryResult:
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): run in-process; the timeout cannot be enforced
        return _evaluate(store, text)
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(store, text, send), daemon=True)
    process.start()
    send.close()
    if not receive.poll(timeout):
        process.kill()
        process.join()
        raise QueryTimeoutError(f"query stopped after the {timeout:g} s timeout")
    try:
        status, payload, extra = receive.recv()
    except (EOFError, OSError):
        process.join()
        raise QueryEngineError(
            f"the query worker died (exit code {process.exitcode}) before answering"
        ) from None
    process.join()
    if status == "error":
        errors: dict[str, type[Exception]] = {
            "QuerySyntaxError": QuerySyntaxError, "QueryEngineError": QueryEngineError}
        raise errors.get(extra, QueryError)(payload)
    return _from_json(payload, extra)


def run_query(
    query: Query | str | Path,
    data: ox.Store | KnowledgeGraph | Path | Sequence[Path],
    *,
    params: Mapping[str, Any] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT_S,
) -> QueryResult:
    """Run a query (a :class:`Query`, bundled name or ``.rq`` path) over a store, a built
    graph or data files; ``timeout`` in seconds stops a long query with QueryTimeoutError
    (None: no limit, for trusted callers). A SERVICE clause is refused before anything runs."""
    check_timeout(timeout)
    if not isinstance(query, Query):
        query = load_query(query)
    text = bind_params(query, params)
    refuse_service(text)
    if isinstance(data, KnowledgeGraph):
        store = data.to_store()
    elif isinstance(data, ox.Store):
        store = data
    else:
        store = load_store(data)
    try:
        # Turning tens of thousands of solutions into Python objects beside a large graph set
        # off full collections that doubled some queries' time; nothing here makes cycles.
        with gc_paused():
            if timeout is None:
                result = _evaluate(store, text)
            else:
                result = _evaluate_with_timeout(store, text, timeout)
    except QuerySyntaxError as err:
        where = query.path if query.path is not None else query.name
        raise QuerySyntaxError(f"{where}: {err}") from err
    return sort_sets(result, query.sets)


def check_timeout(timeout: float | None) -> None:
    """A timeout is None or a finite positive number of seconds (not nan, not inf)."""
    if timeout is None:
        return
    try:  # the client's check serves push, --endpoint and local queries alike
        client.check_timeout(timeout)
    except client.BadArgumentError as err:
        raise QueryParameterError(str(err)) from err


_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE | re.MULTILINE)
_RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # old stores' name for N-Triples
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
REMOTE_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
)


def with_prologue(text: str) -> str:
    """The query with ``PREFIX`` lines for the project prefixes it uses but does not declare
    (``tsunagari query`` offers them locally; another endpoint does not know them)."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(text)}
    missing = [
        f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()
        if p not in declared and re.search(rf"(?<![\w:]){re.escape(p)}:", text)
    ]
    return "".join(missing) + text


def run_remote_query(
    query: Query | str | Path,
    endpoint: str,
    *,
    params: Mapping[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    graph: str | None = None,
    env: Mapping[str, str] | None = None,
    insecure: bool = False,
) -> QueryResult:
    """Run a query at a SPARQL 1.1 Protocol endpoint (``--endpoint``), through the safe client.

    ``graph`` becomes the protocol's ``default-graph-uri`` (the same as ``FROM <graph>``), so the
    bundled queries see a pushed graph. Credentials come from the environment, as for push.
    ``@set`` columns are sorted as locally, so both give the same rows.
    """
    check_timeout(timeout)
    if not isinstance(query, Query):
        query = load_query(query)
    client.check_url(endpoint)
    if graph is not None and (not re.match(r"^[A-Za-z][\w+.-]*:", graph)
                              or any(c in graph for c in '<>"{}|^`\\ \t\r\n')):
        raise QueryParameterError(f"--graph {graph!r} is not an absolute IRI")
    credentials = client.credentials_from_env(env)
    text = with_prologue(bind_params(query, params))
    answer = client.select(
        endpoint,
        text,
        credentials=credentials,
        # One attempt: --timeout bounds the wait, a retry would double it.
        retry=client.Retry(attempts=1, timeout=timeout),
        insecure=insecure,
        default_graph=graph,
        accept=REMOTE_ACCEPT,
    )
    media = answer.content_type.split(";")[0].strip().lower()
    try:
        if media in _RDF_TYPES:
            triples = ox.parse(answer.body, format=_RDF_TYPES[media])
            data = ox.serialize((q.triple for q in triples), format=ox.RdfFormat.N_TRIPLES)
            lines = sorted(set((data or b"").splitlines()))
            return QueryResult((), (), graph=b"".join(line + b"\n" for line in lines))
        result = _from_json(answer.body, None)
    except (ValueError, KeyError, TypeError, SyntaxError) as err:
        raise client.EndpointError(
            f"the SPARQL endpoint at {endpoint} answered {media or 'no content type'} that "
            f"cannot be read as SPARQL results ({_first_line(err)}): check the URL",
            endpoint,
        ) from err
    return sort_sets(result, query.sets)


def sort_set(text: str, separator: str) -> str:
    """A GROUP_CONCAT value with its pieces sorted by code point (a piece per separator)."""
    return separator.join(sorted(text.split(separator)))


def sort_sets(result: QueryResult, sets: Mapping[str, str]) -> QueryResult:
    """The result with each ``@set`` column's items sorted, so the output is deterministic."""
    columns = [(i, sets[v]) for i, v in enumerate(result.variables) if v in sets]
    if not columns or not result.rows:
        return result
    rows = []
    for row in result.rows:
        cells = list(row)
        for i, separator in columns:
            term = cells[i]
            if isinstance(term, ox.Literal):
                value = sort_set(term.value, separator)
                cells[i] = (ox.Literal(value, language=term.language) if term.language
                            else ox.Literal(value, datatype=term.datatype))
        rows.append(tuple(cells))
    return replace(result, rows=tuple(rows))


# ---------------------------------------------------------------- formatting


def _plain(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _short(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            rest = term.value[len(ns):]
            if term.value.startswith(ns) and rest and re.fullmatch(r"[A-Za-z0-9_-]+", rest):
                return f"{prefix}:{rest}"
        return f"<{term.value}>"
    return _plain(term) or ""


def _to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = []
    for row in result.rows:
        binding: dict[str, dict[str, str]] = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                binding[var] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                binding[var] = {"type": "bnode", "value": term.value}
            elif isinstance(term, ox.Literal):
                cell = {"type": "literal", "value": term.value}
                if term.language:
                    cell["xml:lang"] = term.language
                elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    cell["datatype"] = term.datatype.value
                binding[var] = cell
        bindings.append(binding)
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _from_json(payload: bytes, graph: bytes | None) -> QueryResult:
    doc = json.loads(payload)
    if "boolean" in doc:
        return QueryResult((), (), boolean=doc["boolean"])
    if graph is not None:
        return QueryResult((), (), graph=graph)
    variables = tuple(doc["head"]["vars"])
    rows = [
        tuple(json_term(binding[var]) if var in binding else None for var in variables)
        for binding in doc["results"]["bindings"]
    ]
    return QueryResult(variables, tuple(rows))


def _width(text: str) -> int:
    # East Asian wide characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    rows = [list(r) for r in rows]
    widths = [max([_width(h), *(_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(s.rstrip() for s in out) + "\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """The result as an aligned text table, CSV, or SPARQL results JSON."""
    if fmt not in FORMATS:
        raise QueryParameterError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if result.graph is not None:
        return result.graph.decode("utf-8")  # CONSTRUCT / DESCRIBE: N-Triples in every format
    if fmt == "json":
        return _to_json(result) + "\n"
    if result.boolean is not None:
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_plain(t) or "" for t in row])
        return buffer.getvalue()
    body = _table(result.variables, ([_short(t) for t in row] for row in result.rows))
    return body + f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})\n"
