"""Per-file cache of reader output, so a rebuild reads only the casebooks that changed.

An entry is keyed by the file's bytes, its displayed name and stem (they go into case ids
and provenance) and a fingerprint of the reader's code and curated data, so any change to
the reader invalidates every entry. Entries are JSON, written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from graph.reader.record import RECORD_KEYS
from graph.resources import default_cache_dir, places_dir, vocab_dir

# What the records depend on besides the input itself (paths inside the package).
_READER_SOURCES = ("reader/casebook.py", "reader/profile.py", "reader/metrics.py",
                   "reader/record.py", "reader/cache.py",
                   "text/normalize.py", "text/places.py", "text/vocab.py",
                   "resources.py")  # fmt: skip


@cache
def reader_fingerprint() -> str:
    """Hash of the reader's modules, vocabularies and place changes: a new reader, a cold cache."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for name in _READER_SOURCES:
        digest.update((package / name).read_bytes())
    for path in [*sorted(vocab_dir().glob("*.json")), *sorted(places_dir().glob("*.json"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


# Keys of a cached record and the types the later stages rely on.
_RECORD_TYPES = {"case_id": str, "source": dict, "warnings": list, "unparsed": list,
                 "complete": bool}  # fmt: skip


_READER_KEYS = tuple(k for k in RECORD_KEYS if k != "partners")  # partners come later


def _well_formed(entry: Any) -> bool:
    """Whether a cache entry has the shape :meth:`ReadCache.put` writes (a record contract
    per case), so a damaged or foreign file is read again rather than failing a build."""
    if not isinstance(entry, dict):
        return False
    records, notices = entry.get("records"), entry.get("notices")
    if not isinstance(records, list) or not isinstance(notices, list):
        return False
    if not all(isinstance(n, str) for n in notices):
        return False
    return all(
        isinstance(r, dict)
        and all(k in r for k in _READER_KEYS)
        and all(isinstance(r[k], t) for k, t in _RECORD_TYPES.items())
        for r in records
    )


class ReadCache:
    """A directory of reader outputs, one JSON file per input version."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else default_cache_dir() / "read"
        self.hits = 0
        self.misses = 0

    def _path(self, data: bytes, shown: str, stem: str) -> Path:
        digest = hashlib.sha256(data)
        digest.update(f"\0{shown}\0{stem}\0{reader_fingerprint()}".encode())
        return self.directory / f"{digest.hexdigest()}.json"

    def get(self, data: bytes, shown: str, stem: str) -> tuple[list[Any], list[str]] | None:
        """Records and notices of an unchanged file, or None."""
        path = self._path(data, shown, stem)
        try:
            with path.open(encoding="utf-8") as fh:
                entry = json.load(fh)
        except (OSError, ValueError):  # absent, or damaged: read the file again
            entry = None
        if not _well_formed(entry):
            if entry is not None:  # JSON of the wrong shape: never trusted, never kept
                path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return entry["records"], entry["notices"]

    def put(self, data: bytes, shown: str, stem: str, value: tuple[list[Any], list[str]]) -> None:
        """Remember the reader output of a file (best effort: a full disk only costs speed)."""
        path = self._path(data, shown, stem)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"records": value[0], "notices": value[1]}, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            return
