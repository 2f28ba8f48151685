"""The one RDF file loader: format from the suffix, strict parsing, errors that name the file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError

__all__ = ["DataFileError", "iter_quads", "load_store", "rdf_format"]

SUFFIXES = ".ttl, .trig, .nt, .nq"


class DataFileError(InputError):
    """An RDF data file is missing, of an unknown format, or not valid RDF."""


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format of an existing RDF file, from its suffix; DataFileError otherwise."""
    if not path.is_file():
        raise DataFileError(f"{path}: no such data file")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise DataFileError(f"{path}: unknown RDF format {path.suffix!r} (use {SUFFIXES})")
    return fmt


def load_store(paths: Path | Sequence[Path], store: ox.Store | None = None) -> ox.Store:
    """Read RDF files into a store (a fresh in-memory one unless given)."""
    store = ox.Store() if store is None else store
    for path in [paths] if isinstance(paths, Path) else paths:
        fmt = rdf_format(path)
        try:
            store.bulk_load(path=path, format=fmt)
        except (SyntaxError, ValueError, OSError) as err:
            raise DataFileError(f"{path}: cannot load as {fmt.name}: {err}") from err
    return store


def iter_quads(path: Path) -> Iterator[ox.Quad]:
    """The quads of one RDF file, parsed strictly; DataFileError names the file on failure."""
    fmt = rdf_format(path)
    try:
        yield from ox.parse(path=path, format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        raise DataFileError(f"{path}: cannot load as {fmt.name}: {err}") from err
