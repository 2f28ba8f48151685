"""Publish the build to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

:func:`push_graph` sends every triple of the export (the union of the TriG's graphs, provenance
included) as the body of ONE ``PUT <store>?graph=<IRI>``: the protocol defines PUT as "replace
the graph with this content", so a reader sees the old graph or the new one, never a mixture of
case graphs from two builds. (Whether the swap is atomic inside the store is the store's
business; Oxigraph ≥ 0.5.13 does clear-and-load in one transaction, checked by our tests.)
One named graph rather than a PUT per case graph, because several PUTs could be seen half done.

The body is N-Triples, sent as ``text/turtle``: N-Triples is a subset of Turtle, and Turtle is
the format every Graph Store implementation accepts. Credentials come only from the environment
(:data:`USER_ENV`, :data:`PASSWORD_ENV`, :data:`TOKEN_ENV`, :data:`AUTH_SCHEME_ENV`). 5xx answers,
429 and timeouts are retried with exponential backoff (PUT replaces, so a repeat is harmless);
afterwards a SPARQL ``COUNT`` over the graph must equal the number of triples sent.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyoxigraph

from graph.errors import TsunagariError
from graph.rdf.io import iter_quads
from graph.rdf.namespaces import ID_IRI
from graph.resources import TRIG_FILE

DEFAULT_GRAPH_IRI = ID_IRI + "graph/build"
DEFAULT_DATA = Path("exports") / TRIG_FILE  # in the current directory
USER_ENV = "TSUNAGARI_PUSH_USER"
PASSWORD_ENV = "TSUNAGARI_PUSH_PASSWORD"
TOKEN_ENV = "TSUNAGARI_PUSH_TOKEN"
AUTH_SCHEME_ENV = "TSUNAGARI_PUSH_AUTH"
ATTEMPTS = 4
BACKOFF_S = 0.5
TIMEOUT_S = 60.0
BODY_CONTENT_TYPE = "text/turtle; charset=utf-8"
_NOT_RETRIED_5XX = {501, 505}  # "not implemented" and "version not supported" never heal
_IRI_FORBIDDEN = set('<>"{}|^`\\ \t\r\n')

# Graph Store URL endings of the stores we document → their SPARQL query endpoint.
_QUERY_ENDPOINT_RULES: tuple[tuple[str, str], ...] = (
    ("/store", "/query"),  # Oxigraph
    ("/data", "/query"),  # Apache Jena Fuseki (/<dataset>/data)
    ("/rdf-graphs/service", ""),  # GraphDB, RDF4J (/repositories/<id>/rdf-graphs/service)
    ("/sparql-graph-crud-auth", "/sparql-auth"),  # Virtuoso, authenticated
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso
    ("/sparql/gsp", "/sparql"),  # Amazon Neptune
)


class PushError(TsunagariError):
    """Publishing failed; the message names the URL and what to do."""

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class CredentialsError(PushError):
    """The credential environment variables are incomplete or contradictory."""


class EndpointUnreachableError(PushError):
    """No connection to the endpoint (refused, unknown host, network down)."""


class AuthenticationError(PushError):
    """The endpoint answered 401 or 403."""


class RequestRejectedError(PushError):
    """The endpoint refused the request for good (a 4xx other than 401/403, or 501)."""


class ServerError(PushError):
    """5xx answers or timeouts persisted through every retry."""


class VerificationError(PushError):
    """The store's triple count of the graph differs from the build's after the upload."""


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: HTTP basic or digest with a user, or a bearer token."""

    scheme: Literal["basic", "digest", "bearer"]
    user: str | None
    secret: str = field(repr=False)


@dataclass(frozen=True)
class PushResult:
    """What a successful push did."""

    graph_iri: str
    store_url: str
    query_url: str
    triples: int
    status: int
    attempts: int


def credentials_from_env(env: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from the environment, or None when none are set."""
    env = os.environ if env is None else env
    user = env.get(USER_ENV) or None
    password = env.get(PASSWORD_ENV) or None
    token = env.get(TOKEN_ENV) or None
    scheme = (env.get(AUTH_SCHEME_ENV) or "basic").strip().lower()
    if token and (user or password):
        raise CredentialsError(
            f"both {TOKEN_ENV} and {USER_ENV}/{PASSWORD_ENV} are set: unset one of them"
        )
    if token:
        return Credentials("bearer", None, token)
    if user is None and password is None:
        return None
    if user is None or password is None:
        missing = USER_ENV if user is None else PASSWORD_ENV
        raise CredentialsError(f"{missing} is not set: set both {USER_ENV} and {PASSWORD_ENV}")
    if scheme not in ("basic", "digest"):
        raise CredentialsError(f"{AUTH_SCHEME_ENV}={scheme} is unknown: use basic or digest")
    return Credentials("digest" if scheme == "digest" else "basic", user, password)


def serialize_triples(data: Path) -> tuple[bytes, int]:
    """The distinct triples of an RDF file (datasets: union of all graphs) as N-Triples, count."""
    if not data.is_file():
        raise PushError(f"no data file at {data}: run `tsunagari build` first or pass --data")
    triples = {quad.triple for quad in iter_quads(data)}
    # Sorted so the same build always sends the same bytes.
    body = pyoxigraph.serialize(sorted(triples, key=str), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return body or b"", len(triples)


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


def count_triples(
    query_url: str,
    graph_iri: str,
    *,
    credentials: Credentials | None = None,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
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
    )
    try:
        return int(results["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise PushError(
            f"the SPARQL endpoint at {query_url} gave no count for <{graph_iri}>: "
            "check that --query-endpoint is a SPARQL query endpoint",
            query_url,
        ) from exc


def select(
    query_url: str,
    query: str,
    *,
    credentials: Credentials | None = None,
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Run a SELECT at a SPARQL 1.1 Protocol endpoint; the SPARQL JSON results, parsed."""
    _check_url(query_url)
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    _, payload, _ = _request(
        "POST",
        query_url,
        body,
        headers,
        credentials,
        "SPARQL endpoint",
        timeout=timeout,
        attempts=attempts,
        backoff=backoff,
        sleep=sleep,
    )
    try:
        parsed: dict[str, Any] = json.loads(payload)
    except ValueError as exc:
        raise PushError(
            f"the SPARQL endpoint at {query_url} did not answer SPARQL JSON results: "
            "check that the URL is a SPARQL query endpoint",
            query_url,
        ) from exc
    return parsed


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
) -> PushResult:
    """Replace ``graph_iri`` at the Graph Store ``endpoint`` with the build's triples; verify."""
    _check_url(endpoint)
    _check_iri(graph_iri)
    # Everything that can fail locally fails before the store is touched.
    query_url = query_endpoint or derive_query_endpoint(endpoint)
    _check_url(query_url)
    credentials = credentials_from_env(env)
    body, local_count = serialize_triples(data)
    target = graph_store_url(endpoint, graph_iri)
    status, _, used = _request(
        "PUT",
        target,
        body,
        {"Content-Type": BODY_CONTENT_TYPE},
        credentials,
        "graph store",
        timeout=timeout,
        attempts=attempts,
        backoff=backoff,
        sleep=sleep,
    )
    try:
        remote_count = count_triples(
            query_url,
            graph_iri,
            credentials=credentials,
            timeout=timeout,
            attempts=attempts,
            backoff=backoff,
            sleep=sleep,
        )
    except PushError as exc:
        # Same kind of error, but the user must know the graph itself was replaced.
        raise type(exc)(f"uploaded to {target}, but could not verify it: {exc}", exc.url) from exc
    if remote_count != local_count:
        raise VerificationError(
            f"uploaded to {target}, but {query_url} counts {remote_count} triples in "
            f"<{graph_iri}> where the build has {local_count}. Another writer may have changed "
            "the graph, or the store merges or infers statements; push again, and if the counts "
            "still differ, compare the graph with the export",
            query_url,
        )
    return PushResult(graph_iri, target, query_url, local_count, status, used)


def _request(
    method: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    credentials: Credentials | None,
    role: str,
    *,
    timeout: float,
    attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
) -> tuple[int, bytes, int]:
    """Send one request with retries; (status, body, attempts used) or a :class:`PushError`."""
    opener, auth_headers = _opener(credentials, url)
    last_problem = ""
    for attempt in range(1, max(attempts, 1) + 1):
        request = urllib.request.Request(
            url, data=body, method=method, headers={**headers, **auth_headers}
        )
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.read(), attempt
        except urllib.error.HTTPError as err:
            detail = _excerpt(err)
            if err.code in (401, 403):
                raise AuthenticationError(
                    _auth_message(err.code, url, role, credentials), url
                ) from err
            if (err.code >= 500 and err.code not in _NOT_RETRIED_5XX) or err.code == 429:
                last_problem = f"HTTP {err.code} {err.reason}{detail}"
            else:
                raise RequestRejectedError(
                    f"the {role} at {url} refused the {method} with HTTP {err.code} "
                    f"{err.reason}{detail}: check the URL (for Oxigraph: "
                    "http://HOST:7878/store) and that it accepts this request",
                    url,
                ) from err
        except urllib.error.URLError as err:
            if not _transient(err.reason):
                raise EndpointUnreachableError(
                    f"cannot reach the {role} at {url} ({_describe(err.reason)}): check that "
                    "the server is running and the URL, host and port are right",
                    url,
                ) from err
            last_problem = _describe(err.reason)
        except (OSError, http.client.HTTPException) as err:
            # Raised while reading the answer: a timeout or a connection dropped mid-way.
            last_problem = _describe(err)
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise ServerError(
        f"the {role} at {url} failed {attempts} times (last: {last_problem}); the {method} "
        "did not complete. Try again later, or check the server's log and load",
        url,
    )


def _opener(
    credentials: Credentials | None, url: str
) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
    if credentials is None:
        return urllib.request.build_opener(), {}
    if credentials.scheme == "bearer":
        return urllib.request.build_opener(), {"Authorization": f"Bearer {credentials.secret}"}
    if credentials.scheme == "digest":
        # Digest needs the server's challenge first; urllib answers it and repeats the request.
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, credentials.user or "", credentials.secret)
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager)), {}
    # Basic credentials go with the first request: waiting for a 401 would send a large PUT
    # body twice.
    token = base64.b64encode(f"{credentials.user}:{credentials.secret}".encode()).decode()
    return urllib.request.build_opener(), {"Authorization": f"Basic {token}"}


def _auth_message(code: int, url: str, role: str, credentials: Credentials | None) -> str:
    if credentials is None:
        return (
            f"the {role} at {url} answered HTTP {code}: it needs credentials. Set "
            f"{USER_ENV} and {PASSWORD_ENV} (basic; {AUTH_SCHEME_ENV}=digest for digest) or "
            f"{TOKEN_ENV} (bearer) in the environment"
        )
    source = TOKEN_ENV if credentials.scheme == "bearer" else f"{USER_ENV}/{PASSWORD_ENV}"
    if code == 401:
        return (
            f"the {role} at {url} refused the {credentials.scheme} credentials from {source} "
            "(HTTP 401): check them"
        )
    return (
        f"the {role} at {url} answered HTTP 403: the account from {source} may not do this; "
        "give it write access to the graph (or read access, for the query endpoint)"
    )


def _transient(reason: object) -> bool:
    # A refused connection or an unknown host will not heal within a few seconds of backoff;
    # a timeout or a dropped connection may.
    if isinstance(reason, ConnectionRefusedError | socket.gaierror):
        return False
    return isinstance(
        reason,
        TimeoutError
        | ConnectionResetError
        | ConnectionAbortedError
        | BrokenPipeError
        | http.client.HTTPException,
    )


def _describe(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return "connection dropped"
    return str(reason)


def _excerpt(err: urllib.error.HTTPError) -> str:
    try:
        text = err.read(300).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):
        return ""
    first_line = text.splitlines()[0] if text else ""
    return f" ({first_line})" if first_line else ""


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{url!r} is not an http(s) URL, e.g. http://127.0.0.1:7878/store", url)
    if parts.username or parts.password:
        raise CredentialsError(
            f"the URL {parts.hostname}… carries credentials: put them in {USER_ENV} and "
            f"{PASSWORD_ENV} (or {TOKEN_ENV}) instead, never on the command line",
        )


def _check_iri(iri: str) -> None:
    scheme = urllib.parse.urlsplit(iri).scheme
    if not scheme or any(char in _IRI_FORBIDDEN for char in iri):
        raise PushError(f"{iri!r} is not an absolute IRI; use e.g. --graph {DEFAULT_GRAPH_IRI}")
