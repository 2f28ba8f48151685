"""Every file the package reads, and the names of the files it writes, in one place.

The curated data (``data/vocab``, ``data/partners``, ``data/places``, the embedded
``data/casebooks``) and the
``ontology/`` stay at the top of the repository as their source of truth; a build of the wheel
copies them into the package as ``graph/_resources/`` (see ``setup.py``). They are found here
through :mod:`importlib.resources`, so an installed package reads its own copy and a source
checkout (or an editable install) reads the repository's files.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = [
    "CASES_JSON",
    "EXPORT_FILES",
    "NETWORK_GEXF",
    "NETWORK_GRAPHML",
    "NETWORK_HTML",
    "TRIG_FILE",
    "TURTLE_FILE",
    "casebook_dir",
    "default_cache_dir",
    "ontology_file",
    "page_dir",
    "partner_rules_dir",
    "places_dir",
    "queries_dir",
    "resource_root",
    "shapes_file",
    "templates_dir",
    "vocab_dir",
]

CASES_JSON = "cases.json"
TURTLE_FILE = "tsunagari.ttl"
TRIG_FILE = "tsunagari.trig"
NETWORK_HTML = "network.html"
NETWORK_GRAPHML = "network.graphml"
NETWORK_GEXF = "network.gexf"
EXPORT_FILES = (CASES_JSON, NETWORK_GEXF, NETWORK_GRAPHML, NETWORK_HTML, TRIG_FILE, TURTLE_FILE)

_PACKAGED = "_resources"


@cache
def resource_root() -> Path:
    """The folder holding ``data/`` and ``ontology/``: the package's copy, else the checkout."""
    package = resources.files("graph")
    packaged = package / _PACKAGED
    if packaged.is_dir():
        return Path(str(packaged))
    # No packaged copy: a source checkout or an editable install, whose top level is the source.
    return Path(str(package)).resolve().parent


def _package_dir(*parts: str) -> Path:
    return Path(str(resources.files("graph").joinpath(*parts)))


def casebook_dir() -> Path:
    """The embedded casebook chapters (the default input of ``tsunagari build``)."""
    return resource_root() / "data" / "casebooks"


def vocab_dir() -> Path:
    """Activity types, target groups and legal forms."""
    return resource_root() / "data" / "vocab"


def places_dir() -> Path:
    """The curated change list of local governments and wards since the packaged snapshot."""
    return resource_root() / "data" / "places"


def partner_rules_dir() -> Path:
    """The curated rules of partner extraction."""
    return resource_root() / "data" / "partners"


def ontology_file() -> Path:
    """The OWL ontology (Turtle)."""
    return resource_root() / "ontology" / "tsunagari.ttl"


def shapes_file() -> Path:
    """The SHACL shapes (Turtle)."""
    return resource_root() / "ontology" / "shapes.ttl"


def queries_dir() -> Path:
    """The bundled SPARQL queries."""
    return _package_dir("sparql", "queries")


def page_dir() -> Path:
    """The query page of ``tsunagari serve`` (HTML, JS, CSS)."""
    return _package_dir("sparql", "page")


def templates_dir() -> Path:
    """Templates of the network view."""
    return _package_dir("view", "templates")


def default_cache_dir() -> Path:
    """Per-user cache folder: ``$TSUNAGARI_CACHE_DIR``, else the XDG cache home."""
    explicit = os.environ.get("TSUNAGARI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tsunagari"
