"""The one HTTP client of ``push`` and ``query --endpoint``: credentials stay with their origin.

Every request to a store goes through :func:`request`. It

- follows a redirect only within the origin it was given (same scheme, host and port): a store
  that answers ``302 Location: http://elsewhere/`` gets an :class:`RedirectRefusedError`, and
  the other host never sees a request, let alone the ``Authorization`` header;
- sends credentials only to that origin (digest answers are registered for the origin alone);
- refuses basic or bearer credentials over plain ``http://`` to a host that is not loopback
  unless the caller passes ``insecure=True`` (the password or token would cross the network in
  clear). Loopback (``127.0.0.0/8``, ``::1``, ``localhost``) is allowed without a warning: the
  traffic never leaves the machine. Digest over ``http://`` is allowed: it never sends the
  password, only a hash bound to the server's nonce;
- retries 5xx answers, 429 and timeouts with exponential backoff, and turns every failure into
  a :class:`EndpointError` whose message names the URL and what to do.

Credentials come only from the environment (:data:`USER_ENV`, :data:`PASSWORD_ENV`,
:data:`TOKEN_ENV`, :data:`AUTH_SCHEME_ENV`), never from the command line or the URL.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import math
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from graph.errors import SystemFaultError

USER_ENV = "TSUNAGARI_PUSH_USER"
PASSWORD_ENV = "TSUNAGARI_PUSH_PASSWORD"
TOKEN_ENV = "TSUNAGARI_PUSH_TOKEN"
AUTH_SCHEME_ENV = "TSUNAGARI_PUSH_AUTH"
ATTEMPTS = 4
BACKOFF_S = 0.5
TIMEOUT_S = 60.0
MAX_REDIRECTS = 5
_NOT_RETRIED_5XX = {501, 505}  # "not implemented" and "version not supported" never heal


class EndpointError(SystemFaultError):
    """A request to a store or SPARQL endpoint failed; the message names the URL and the fix."""

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class CredentialsError(EndpointError):
    """The credential environment variables are incomplete or contradictory."""

    exit_code = 2


class InsecureTransportError(EndpointError):
    """Basic or bearer credentials would go over plain http to another machine."""

    exit_code = 2


class BadArgumentError(EndpointError):
    """A URL, IRI or timeout that cannot be used; nothing was sent."""

    exit_code = 2


class EndpointUnreachableError(EndpointError):
    """No connection to the endpoint (refused, unknown host, network down)."""


class AuthenticationError(EndpointError):
    """The endpoint answered 401 or 403."""


class RequestRejectedError(EndpointError):
    """The endpoint refused the request for good (a 4xx other than 401/403, or 501)."""


class RedirectRefusedError(EndpointError):
    """The endpoint redirected to another origin (or redirected a request that has a body)."""


class ServerError(EndpointError):
    """5xx answers or timeouts persisted through every retry."""


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: HTTP basic or digest with a user, or a bearer token."""

    scheme: Literal["basic", "digest", "bearer"]
    user: str | None
    secret: str = field(repr=False)


@dataclass(frozen=True)
class Response:
    """A successful answer: status, headers' content type, body, and the attempts it took."""

    status: int
    content_type: str
    body: bytes
    attempts: int


@dataclass(frozen=True)
class Retry:
    """How hard to try: attempts, first backoff (doubles), per-request timeout."""

    attempts: int = ATTEMPTS
    backoff: float = BACKOFF_S
    timeout: float = TIMEOUT_S
    sleep: Callable[[float], None] = time.sleep


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


def check_timeout(seconds: float, option: str = "--timeout") -> float:
    """``seconds`` if it is a finite positive number; else a one-line :class:`BadArgumentError`."""
    if (isinstance(seconds, bool) or not isinstance(seconds, int | float)
            or not math.isfinite(seconds) or seconds <= 0):
        raise BadArgumentError(f"{option} must be a positive number of seconds, not {seconds!r}")
    return float(seconds)


def check_url(url: str) -> None:
    """An http(s) URL with a host and without credentials in it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadArgumentError(
            f"{url!r} is not an http(s) URL, e.g. http://127.0.0.1:7878/store", url
        )
    if parts.username or parts.password:
        raise CredentialsError(
            f"the URL {parts.hostname}… carries credentials: put them in {USER_ENV} and "
            f"{PASSWORD_ENV} (or {TOKEN_ENV}) instead, never on the command line",
        )
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as err:
        raise BadArgumentError(f"{url!r} has a bad port: {err}", url) from err


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def is_loopback(url: str) -> bool:
    """Whether the URL's host is this machine's loopback interface."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport(url: str, credentials: Credentials | None, insecure: bool = False) -> None:
    """Refuse basic/bearer credentials over plain http to another machine (unless insecure)."""
    if credentials is None or credentials.scheme == "digest" or insecure:
        return
    if urllib.parse.urlsplit(url).scheme.lower() == "http" and not is_loopback(url):
        host = urllib.parse.urlsplit(url).hostname
        raise InsecureTransportError(
            f"refusing to send {credentials.scheme} credentials over plain http to {host}: "
            "anyone on the way could read them. Use https://, or digest auth "
            f"({AUTH_SCHEME_ENV}=digest), or pass --insecure if the network is trusted",
            url,
        )


def sends_secret_in_clear(url: str, credentials: Credentials | None) -> bool:
    """Whether a request would carry a password or token readable on the network."""
    return (
        credentials is not None
        and credentials.scheme != "digest"
        and urllib.parse.urlsplit(url).scheme.lower() == "http"
        and not is_loopback(url)
    )


def request(
    method: str,
    url: str,
    body: bytes | None,
    headers: Mapping[str, str],
    credentials: Credentials | None,
    role: str,
    retry: Retry | None = None,
    *,
    insecure: bool = False,
) -> Response:
    """Send one request with retries; a :class:`Response` or an :class:`EndpointError`."""
    retry = retry or Retry()
    check_url(url)
    check_timeout(retry.timeout, "timeout")
    check_transport(url, credentials, insecure)
    opener, auth_headers = _opener(credentials, url, retry.timeout)
    attempts = max(retry.attempts, 1)
    last_problem = ""
    for attempt in range(1, attempts + 1):
        req = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        for name, value in auth_headers.items():
            # Unredirected: even a same-origin redirect gets it only through our own handler.
            req.add_unredirected_header(name, value)
        try:
            with opener.open(req, timeout=retry.timeout) as response:
                return Response(
                    response.status,
                    response.headers.get("Content-Type", ""),
                    response.read(),
                    attempt,
                )
        except RedirectRefusedError:
            raise
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
                    f"{err.reason}{detail}: check the URL and that it accepts this request",
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
        except ValueError as err:
            # urllib's digest handler on a challenge it cannot answer, a malformed header …
            raise RequestRejectedError(f"the {role} at {url}: {err}", url) from err
        except (OSError, http.client.HTTPException) as err:
            # Raised while reading the answer: a timeout or a connection dropped mid-way.
            last_problem = _describe(err)
        if attempt < attempts:
            retry.sleep(retry.backoff * 2 ** (attempt - 1))
    raise ServerError(
        f"the {role} at {url} failed {attempts} times (last: {last_problem}); the {method} "
        "did not complete. Try again later, or check the server's log and load",
        url,
    )


def select(
    query_url: str,
    query: str,
    *,
    credentials: Credentials | None = None,
    retry: Retry | None = None,
    insecure: bool = False,
    default_graph: str | None = None,
    accept: str = "application/sparql-results+json",
) -> Response:
    """POST a query to a SPARQL 1.1 Protocol endpoint (``default-graph-uri`` = ``FROM``)."""
    fields = [("query", query)]
    if default_graph is not None:
        fields.append(("default-graph-uri", default_graph))
    return request(
        "POST",
        query_url,
        urllib.parse.urlencode(fields).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        credentials,
        "SPARQL endpoint",
        retry,
        insecure=insecure,
    )


def select_json(
    query_url: str,
    query: str,
    *,
    credentials: Credentials | None = None,
    retry: Retry | None = None,
    insecure: bool = False,
    default_graph: str | None = None,
) -> dict[str, Any]:
    """Run a SELECT or ASK at ``query_url``; the SPARQL JSON results, parsed."""
    answer = select(
        query_url,
        query,
        credentials=credentials,
        retry=retry,
        insecure=insecure,
        default_graph=default_graph,
    )
    try:
        parsed = json.loads(answer.body)
        if not isinstance(parsed, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        raise EndpointError(
            f"the SPARQL endpoint at {query_url} did not answer SPARQL JSON results: "
            "check that the URL is a SPARQL query endpoint",
            query_url,
        ) from exc
    return parsed


# ------------------------------------------------------------------------------ internals


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the origin; re-send the method and body only for 307/308."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, auth_headers: Mapping[str, str]) -> None:
        self.auth_headers = dict(auth_headers)

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        old = req.full_url
        new = urllib.parse.urljoin(old, newurl)
        if origin(new) != origin(old):
            raise RedirectRefusedError(
                f"{old} redirected (HTTP {code}) to another origin, {_origin_text(new)}: "
                "nothing was sent there. If that is the right server, pass its URL yourself",
                old,
            )
        method = req.get_method()
        if code in (307, 308) or method in ("GET", "HEAD"):
            redirected = urllib.request.Request(
                new,
                data=req.data,
                method=method,
                headers=dict(req.header_items()),
                origin_req_host=req.origin_req_host,
            )
            for name, value in self.auth_headers.items():
                redirected.add_unredirected_header(name, value)
            return redirected
        raise RedirectRefusedError(
            f"{old} answered HTTP {code} to a {method}, which would drop the request body: "
            f"use the URL it names ({new}) instead",
            old,
        )


def _origin_text(url: str) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}:{port}"


def _digest_challenge(url: str, timeout: float) -> dict[str, str] | None:
    """The server's digest challenge for ``url``, asked with a bodiless HEAD (None if none)."""
    parts = urllib.parse.urlsplit(url)
    https = parts.scheme.lower() == "https"
    kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = kind(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request("HEAD", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        return None  # the real request will meet and report the problem
    finally:
        connection.close()
    if response.status != 401:
        return None
    for header in response.headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            return urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
    return None


class _PrimedDigestAuth(urllib.request.HTTPDigestAuthHandler):
    """Digest auth answered before a body is sent.

    Some stores (Virtuoso 7) answer an unauthenticated PUT with 401 and close the connection
    while a large body is still being sent, so urllib's answer-the-challenge-and-repeat never
    gets its challenge. The challenge is asked first with a bodiless HEAD.
    """

    def __init__(self, manager: urllib.request.HTTPPasswordMgr, timeout: float) -> None:
        super().__init__(manager)
        self._timeout = timeout

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if req.data is not None and not req.has_header(self.auth_header):
            challenge = _digest_challenge(req.full_url, self._timeout)
            authorization = self.get_authorization(req, challenge) if challenge else None
            if authorization:
                req.add_unredirected_header(self.auth_header, f"Digest {authorization}")
        return req

    https_request = http_request


def _opener(
    credentials: Credentials | None, url: str, timeout: float
) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
    handlers: list[urllib.request.BaseHandler] = []
    auth_headers: dict[str, str] = {}
    if credentials is not None and credentials.scheme == "bearer":
        auth_headers = {"Authorization": f"Bearer {credentials.secret}"}
    elif credentials is not None and credentials.scheme == "basic":
        # Basic credentials go with the first request: waiting for a 401 would send a large
        # PUT body twice.
        token = base64.b64encode(f"{credentials.user}:{credentials.secret}".encode()).decode()
        auth_headers = {"Authorization": f"Basic {token}"}
    elif credentials is not None:
        # Digest needs the server's challenge first; urllib answers it and repeats the request.
        # The password is registered for this origin only, so no other host gets an answer.
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, _origin_text(url) + "/", credentials.user or "",
                             credentials.secret)
        handlers.append(_PrimedDigestAuth(manager, timeout))
    handlers.append(_SameOriginRedirects(auth_headers))
    return urllib.request.build_opener(*handlers), auth_headers


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
