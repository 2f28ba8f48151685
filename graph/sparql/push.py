"""Publish the build to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

:func:`push_graph` sends every triple of the export (the union of the TriG's graphs, provenance
included) as the body of ONE ``PUT <store>?graph=<IRI>``: the protocol defines PUT as "replace
the graph with this content", so a reader sees the old graph or the new one, never a mixture of
case graphs from two builds. (Whether the swap is atomic inside the store is the store's
business; Oxigraph ≥ 0.5.13 does clear-and-load in one transaction, checked by our tests.)
One named graph rather than a PUT per case graph, because several PUTs could be seen half done.

The body is N-Triples, sent as ``text/turtle``: N-Triples is a subset of Turtle, and Turtle is
the format every Graph Store implementation accepts. Its last line is a marker,
``<graph> schema:sha256 "<digest>"``, the SHA-256 of the build's sorted N-Triples lines.

Afterwards the graph is read back (``SELECT ?s ?p ?o``, in pages) and compared with what was
sent, triple by triple: a store that ignored the PUT and kept an older build, a body cut in
transit, or another writer's statements are each told apart by :func:`diagnose` and reported
as a :class:`VerificationError` saying which. All HTTP goes through :mod:`graph.sparql.client`
(no redirects across origins, credentials only to their origin, retries).
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.rdf.io import iter_quads
from graph.rdf.namespaces import ID_IRI
from graph.resources import TRIG_FILE
from graph.sparql.client import (
    ATTEMPTS,
    AUTH_SCHEME_ENV,
    BACKOFF_S,
    PASSWORD_ENV,
    TIMEOUT_S,
    TOKEN_ENV,
    USER_ENV,
    AuthenticationError,
    BadArgumentError,
    Credentials,
    CredentialsError,
    EndpointError,
    EndpointUnreachableError,
    InsecureTransportError,
    RedirectRefusedError,
    RequestRejectedError,
    Retry,
    ServerError,
    check_timeout,
    check_transport,
    check_url,
    credentials_from_env,
    request,
    select_json,
)
from graph.sparql.query import json_term

__all__ = [
    "AUTH_SCHEME_ENV", "DEFAULT_DATA", "DEFAULT_GRAPH_IRI", "MARKER_PREDICATE", "PASSWORD_ENV",
    "TOKEN_ENV", "USER_ENV", "AuthenticationError", "Credentials", "CredentialsError",
    "EndpointUnreachableError", "InsecureTransportError", "Payload", "PushError", "PushResult",
    "RedirectRefusedError", "RequestRejectedError", "ServerError", "VerificationError",
    "build_payload", "count_triples", "credentials_from_env", "derive_query_endpoint",
    "diagnose", "graph_store_url", "push_graph", "read_graph", "select", "serialize_triples",
]  # fmt: skip

DEFAULT_GRAPH_IRI = ID_IRI + "graph/build"
DEFAULT_DATA = Path("exports") / TRIG_FILE  # in the current directory
BODY_CONTENT_TYPE = "text/turtle; charset=utf-8"
MARKER_PREDICATE = "http://schema.org/sha256"
PAGE_SIZE = 10_000  # Virtuoso's default ResultSetMaxRows: a bigger page would come back cut
_IRI_FORBIDDEN = set('<>"{}|^`\\ \t\r\n')
PushError = EndpointError  # every push failure is one of these

# Graph Store URL endings of the stores we document → their SPARQL query endpoint.
_QUERY_ENDPOINT_RULES: tuple[tuple[str, str], ...] = (
    ("/store", "/query"),  # Oxigraph
    ("/data", "/query"),  # Apache Jena Fuseki (/<dataset>/data)
    ("/rdf-graphs/service", ""),  # GraphDB, RDF4J (/repositories/<id>/rdf-graphs/service)
    ("/sparql-graph-crud-auth", "/sparql-auth"),  # Virtuoso, authenticated
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso
    ("/sparql/gsp", "/sparql"),  # Amazon Neptune
)


class VerificationError(EndpointError):
    """The graph read back from the store is not the graph that was sent."""


@dataclass(frozen=True)
class Payload:
    """What a push sends: the N-Triples body (marker last), its triple count and digest."""

    body: bytes
    lines: frozenset[bytes]  # the build's N-Triples lines, without the marker
    triples: int
    digest: str
    marker: bytes


@dataclass(frozen=True)
class PushResult:
    """What a successful push did."""

    graph_iri: str
    store_url: str
    query_url: str
    triples: int
    status: int
    attempts: int
    digest: str


def serialize_triples(data: Path) -> tuple[bytes, int]:
    """The distinct triples of an RDF file (datasets: union of all graphs) as sorted N-Triples."""
    lines = _canonical_lines(_read_triples(data))
    return b"".join(lines), len(lines)


def build_payload(data: Path, graph_iri: str) -> Payload:
    """The body of the PUT: the build's sorted N-Triples, then the digest marker."""
    lines = _canonical_lines(_read_triples(data))
    digest = hashlib.sha256(b"".join(lines)).hexdigest()
    marker = _marker_line(graph_iri, digest)
    return Payload(b"".join(lines) + marker, frozenset(lines), len(lines), digest, marker)


def _read_triples(data: Path) -> set[pyoxigraph.Triple]:
    if not data.is_file():
        raise BadArgumentError(
            f"no data file at {data}: run `tsunagari build` first or pass --data"
        )
    return {quad.triple for quad in iter_quads(data)}


def _marker_line(graph_iri: str, digest: str) -> bytes:
    triple = pyoxigraph.Triple(
        pyoxigraph.NamedNode(graph_iri),
        pyoxigraph.NamedNode(MARKER_PREDICATE),
        pyoxigraph.Literal(digest),
    )
    return pyoxigraph.serialize([triple], format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


_XSD = "http://www.w3.org/2001/XMLSchema#"
_BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}
_INTEGERS = {_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte")}


def _canonical_literal(term: Any) -> Any:
    """The canonical lexical form of a boolean or integer literal: the same value, written as
    stores write it back (Virtuoso answers ``"1"^^xsd:boolean`` for ``"true"``)."""
    if not isinstance(term, pyoxigraph.Literal) or term.language:
        return term
    datatype = term.datatype.value
    value = term.value.strip()
    if datatype == _XSD + "boolean" and value in _BOOLEAN:
        return pyoxigraph.Literal(_BOOLEAN[value], datatype=term.datatype)
    if datatype in _INTEGERS and re.fullmatch(r"[+-]?\d+", value):
        return pyoxigraph.Literal(str(int(value)), datatype=term.datatype)
    return term


def _canonical_lines(triples: set[pyoxigraph.Triple]) -> list[bytes]:
    """Sorted N-Triples lines of the triples, compared by value: blank nodes renamed by
    RDFC-1.0 and boolean/integer literals in canonical form, so two copies compare equal."""
    triples = {
        pyoxigraph.Triple(t.subject, t.predicate, _canonical_literal(t.object)) for t in triples
    }
    if any(isinstance(t.subject, pyoxigraph.BlankNode) or
           isinstance(t.object, pyoxigraph.BlankNode) for t in triples):
        dataset = pyoxigraph.Dataset(
            pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples
        )
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        triples = {q.triple for q in dataset}
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
    return sorted(set(data.splitlines(keepends=True)))


def graph_store_url(endpoint: str, graph_iri: str) -> str:
    """The Graph Store URL of one named graph (indirect identification, ``?graph=``)."""
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + separator + urllib.parse.urlencode({"graph": graph_iri})


def derive_query_endpoint(endpoint: str) -> str:
    """The SPARQL query URL that goes with a Graph Store URL of a known store."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for ending, replacement in _QUERY_ENDPOINT_RULES:
        if path.endswith(ending):
            query_path = path.removesuffix(ending) + replacement
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, query_path, "", ""))
    raise PushError(
        f"cannot tell the SPARQL query endpoint that goes with {endpoint}: "
        "pass --query-endpoint (the URL that answers SPARQL SELECT queries)",
        endpoint,
    )


def _retry(
    timeout: float, attempts: int, backoff: float, sleep: Callable[[float], None]
) -> Retry:
    return Retry(attempts=attempts, backoff=backoff, timeout=timeout, sleep=sleep)


def select(
    query_url: str,
    query: str,
    *,
    credentials: Credentials | None = None,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    insecure: bool = False,
) -> dict[str, Any]:
    """Run a SELECT at a SPARQL 1.1 Protocol endpoint; the SPARQL JSON results, parsed."""
    return select_json(
        query_url,
        query,
        credentials=credentials,
        retry=_retry(timeout, attempts, backoff, sleep),
        insecure=insecure,
    )


def count_triples(
    query_url: str,
    graph_iri: str,
    *,
    credentials: Credentials | None = None,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    insecure: bool = False,
) -> int:
    """Number of triples in the named graph, by a SPARQL COUNT at ``query_url``."""
    _check_iri(graph_iri)
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    results = select(
        query_url,
        query,
        credentials=credentials,
        timeout=timeout,
        attempts=attempts,
        backoff=backoff,
        sleep=sleep,
        insecure=insecure,
    )
    try:
        return int(results["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise PushError(
            f"the SPARQL endpoint at {query_url} gave no count for <{graph_iri}>: "
            "check that --query-endpoint is a SPARQL query endpoint",
            query_url,
        ) from exc


def read_graph(
    query_url: str,
    graph_iri: str,
    *,
    credentials: Credentials | None = None,
    retry: Retry | None = None,
    insecure: bool = False,
    page_size: int = PAGE_SIZE,
) -> list[bytes]:
    """The named graph's triples as sorted canonical N-Triples lines.

    One SELECT of the whole graph first; only a store that returned fewer rows than its own COUNT
    (Virtuoso caps results at ``ResultSetMaxRows``, 10,000 by default, without an error) is read
    again in ordered pages (``page_size``, or the store's cap if lower): paging sorts the graph
    once per page, so it is the fallback, not the rule.
    """
    _check_iri(graph_iri)
    pattern = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    count = count_triples(
        query_url, graph_iri, credentials=credentials, insecure=insecure,
        **_retry_kwargs(retry),
    )
    triples = _read_page(query_url, pattern, graph_iri, credentials, retry, insecure)
    if len(triples) >= count:
        return _canonical_lines(set(triples))
    # Pages advance by the rows actually returned, so a cap below page_size still reads it all.
    collected: set[pyoxigraph.Triple] = set()
    offset = 0
    while len(collected) < count:
        # ORDER BY inside, LIMIT/OFFSET outside: Virtuoso refuses a sorted LIMIT+OFFSET above
        # 10,000 rows ("SR353: Sorted TOP clause …") but pages a sorted subquery; Oxigraph too.
        query = (f"SELECT ?s ?p ?o WHERE {{ {{ {pattern} ORDER BY ?s ?p ?o }} }} "
                 f"LIMIT {page_size} OFFSET {offset}")
        page = _read_page(query_url, query, graph_iri, credentials, retry, insecure)
        if not page:
            break
        collected.update(page)
        offset += len(page)
    return _canonical_lines(collected)


def _retry_kwargs(retry: Retry | None) -> dict[str, Any]:
    retry = retry or Retry()
    return {"timeout": retry.timeout, "attempts": retry.attempts, "backoff": retry.backoff,
            "sleep": retry.sleep}


def _read_page(
    query_url: str,
    query: str,
    graph_iri: str,
    credentials: Credentials | None,
    retry: Retry | None,
    insecure: bool,
) -> list[pyoxigraph.Triple]:
    results = select_json(
        query_url, query, credentials=credentials, retry=retry, insecure=insecure
    )
    try:
        return [_triple(r) for r in results["results"]["bindings"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise PushError(
            f"the SPARQL endpoint at {query_url} gave no triples of <{graph_iri}> "
            f"({exc}): check that --query-endpoint is a SPARQL query endpoint",
            query_url,
        ) from exc


def _triple(row: Mapping[str, Any]) -> pyoxigraph.Triple:
    subject, predicate = json_term(row["s"]), json_term(row["p"])
    if isinstance(subject, pyoxigraph.Literal) or not isinstance(predicate, pyoxigraph.NamedNode):
        raise ValueError("a literal subject or a predicate that is not an IRI")
    return pyoxigraph.Triple(subject, predicate, json_term(row["o"]))


def diagnose(payload: Payload, remote: list[bytes], status: int) -> str | None:
    """None when the store holds exactly what was sent; else what happened, in words."""
    sent = payload.lines | {payload.marker}
    held = set(remote)
    if held == sent:
        return None
    missing = len(sent - held)
    extra = len(held - sent)
    markers = sorted(
        line for line in held if f"<{MARKER_PREDICATE}>".encode() in line
    )
    other_builds = [m for m in markers if m != payload.marker]
    if not held:
        return (
            f"the store answered HTTP {status} to the PUT but the graph is empty: it accepted "
            "the upload and kept nothing (a store that ignores PUT, or one that writes elsewhere)"
        )
    if other_builds and payload.marker not in held:
        digest = other_builds[0].split(b'"')[1].decode("ascii", "replace")[:12]
        return (
            f"the store holds another build (digest {digest}…, ours {payload.digest[:12]}…; "
            f"{missing} of our triples missing): it ignored the PUT (HTTP {status}) and kept "
            "the graph it had, or another push replaced the graph since"
        )
    if extra == 0:
        cut = "without" if payload.marker not in held else "with"
        return (
            f"the store holds only {len(held)} of the {len(sent)} triples sent ({cut} the "
            "digest marker that ends the body): half a graph. The upload was cut short in "
            "transit or the store dropped statements; push again"
        )
    if missing == 0:
        return (
            f"the store holds the build plus {extra} statements that are not in it: another "
            "writer added to the graph, or the store infers statements"
        )
    return (
        f"the graph differs from the build: {missing} triples sent are missing and {extra} "
        "others are there: another writer changed the graph, or the store rewrote literals"
    )


def push_graph(
    endpoint: str,
    data: Path = DEFAULT_DATA,
    *,
    graph_iri: str = DEFAULT_GRAPH_IRI,
    query_endpoint: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    insecure: bool = False,
) -> PushResult:
    """Replace ``graph_iri`` at the Graph Store ``endpoint`` with the build's triples; verify
    by reading the graph back. ``insecure`` allows basic/bearer credentials over plain http."""
    check_url(endpoint)
    _check_iri(graph_iri)
    retry = _retry(timeout, attempts, backoff, sleep)
    # Everything that can fail locally fails before the store is touched.
    check_timeout(timeout, "timeout")
    query_url = query_endpoint or derive_query_endpoint(endpoint)
    check_url(query_url)
    credentials = credentials_from_env(env)
    check_transport(endpoint, credentials, insecure)
    check_transport(query_url, credentials, insecure)
    payload = build_payload(data, graph_iri)
    target = graph_store_url(endpoint, graph_iri)
    answer = request(
        "PUT",
        target,
        payload.body,
        {"Content-Type": BODY_CONTENT_TYPE},
        credentials,
        "graph store",
        retry,
        insecure=insecure,
    )
    try:
        remote = read_graph(
            query_url, graph_iri, credentials=credentials, retry=retry, insecure=insecure
        )
    except PushError as exc:
        # Same kind of error, but the user must know the graph itself was replaced.
        raise type(exc)(f"uploaded to {target}, but could not verify it: {exc}", exc.url) from exc
    problem = diagnose(payload, remote, answer.status)
    if problem is not None:
        raise VerificationError(
            f"uploaded to {target}, but reading <{graph_iri}> back from {query_url} shows "
            f"{problem}",
            query_url,
        )
    return PushResult(
        graph_iri, target, query_url, payload.triples, answer.status, answer.attempts,
        payload.digest,
    )


def _check_iri(iri: str) -> None:
    scheme = urllib.parse.urlsplit(iri).scheme
    if not scheme or any(char in _IRI_FORBIDDEN for char in iri):
        raise BadArgumentError(
            f"{iri!r} is not an absolute IRI; use e.g. --graph {DEFAULT_GRAPH_IRI}"
        )
