"""The export set, written all-or-nothing: readers find the old set or the new one, never a mix.

The files stay plain files in ``--out`` (``exports/cases.json`` …), so the switch from one set
to the next is one rename per file. What makes the set atomic:

1. **A lock**: ``flock`` on the ``--out`` directory itself (no lock file), held from staging to
   the end of the switch, so two builds into one directory take turns; the later set wins whole.
2. **Staging**: every file is written into a fresh ``.tsunagari-staging-*`` directory inside
   ``--out`` (same file system, so renames are atomic) and ``fsync``-ed, with hard links to the
   files of the old set beside it.
3. **A journal** (``.tsunagari-switch.json``), written atomically only once all of that is on
   disk, names the staging directory and the files. Then each file is renamed into place and the
   directory is ``fsync``-ed; the journal is removed last.
4. **Recovery**: a rename that fails puts the old set back from its hard links; a build killed
   during the switch (``kill -9``, power loss) leaves the journal, and the next writer — under the
   lock, before anything else — finishes the switch from the staged files. Staging directories
   and ``.*.tmp`` files of earlier failures are removed then too.

A reader that opens the files while a switch is running can see a mix for the microseconds
between the first and the last rename, and one that looks after a crash, before the next build,
sees the set half switched; :func:`recover` (run by every build) settles it. Readers that must
never see that take the lock shared with :func:`reading`.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from graph.errors import OutputPathError, WriteError

__all__ = ["JOURNAL", "STAGING_PREFIX", "reading", "recover", "write_export_set"]

STAGING_PREFIX = ".tsunagari-staging-"
JOURNAL = ".tsunagari-switch.json"
_OLD = ".old"  # inside a staging directory: hard links to the files of the previous set
_FILE_MODE = 0o644

# The one rename of the switch; tests replace it to fail or to kill the process mid-switch.
_replace = os.replace


def write_export_set(outputs: Mapping[str, bytes | Path], out_dir: Path) -> list[Path]:
    """Write ``outputs`` (file name → bytes) into ``out_dir`` as one set; returns the paths.

    A value may also be the :class:`~pathlib.Path` of a finished file (a large export spooled
    to disk by the build, so its bytes are never held in memory): it is hard-linked into the
    staging directory, or copied in chunks where links are not possible, and left in place.

    Raises :class:`OutputPathError` when ``out_dir`` cannot be a directory and
    :class:`WriteError` (naming the path) when the disk refuses: read-only, full, permissions.
    On any error the previous set is left as it was.
    """
    names = sorted(outputs)
    for name in names:
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"not an export file name: {name!r}")
    _make_dir(out_dir)
    try:
        with _locked(out_dir, fcntl.LOCK_EX):
            _recover_locked(out_dir)
            staging = _stage(outputs, names, out_dir)
            _switch(out_dir, staging, names)
    except OSError as exc:
        raise _write_error(exc, out_dir) from exc
    return [out_dir / name for name in names]


def recover(out_dir: Path) -> None:
    """Finish a switch a killed build left half done, and remove stale temporaries."""
    if not out_dir.is_dir():
        return
    try:
        with _locked(out_dir, fcntl.LOCK_EX):
            _recover_locked(out_dir)
    except OSError as exc:
        raise _write_error(exc, out_dir) from exc


@contextmanager
def reading(out_dir: Path) -> Iterator[None]:
    """Hold the lock shared while reading several files of one set (no build switches then)."""
    with _locked(out_dir, fcntl.LOCK_SH):
        yield


# ---------------------------------------------------------------------------- steps


def _make_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        blocker = next((p for p in (out_dir, *out_dir.parents) if p.exists() and not p.is_dir()),
                       out_dir)  # fmt: skip
        raise OutputPathError(
            f"--out {out_dir}: {blocker} is a file, not a directory"
        ) from exc
    except OSError as exc:
        raise _write_error(exc, out_dir) from exc


@contextmanager
def _locked(directory: Path, how: int) -> Iterator[None]:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, how)  # blocks while another build holds it; released on close
        yield
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, _FILE_MODE)  # not narrowed by the umask: exports are for everyone
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage_file(path: Path, source: Path) -> None:
    """Put a copy of the finished file ``source`` at ``path`` (new), with the export mode."""
    try:
        os.link(source, path)  # same file system: no copy (the source is never written again)
    except OSError:
        with open(source, "rb") as src, open(path, "xb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fchmod(fd, _FILE_MODE)
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage(outputs: Mapping[str, bytes | Path], names: list[str], out_dir: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        old = staging / _OLD
        old.mkdir()
        for name in names:
            value = outputs[name]
            if isinstance(value, Path):
                _stage_file(staging / name, value)
            else:
                _write_file(staging / name, value)
            if (out_dir / name).is_file():
                try:
                    os.link(out_dir / name, old / name)
                except OSError:  # a file system without hard links
                    shutil.copy2(out_dir / name, old / name)
        _fsync_dir(old)
        _fsync_dir(staging)
        journal = {"staging": staging.name, "files": names,
                   "old": sorted(p.name for p in old.iterdir()), "phase": "forward"}  # fmt: skip
        _write_journal(out_dir, journal)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _write_journal(out_dir: Path, journal: Mapping[str, object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f"{JOURNAL}.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(journal, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out_dir / JOURNAL)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(out_dir)


def _switch(out_dir: Path, staging: Path, names: list[str]) -> None:
    try:
        for name in names:
            _replace(staging / name, out_dir / name)
        _fsync_dir(out_dir)
    except OSError as exc:
        journal = _read_journal(out_dir) or {}
        journal["phase"] = "back"
        try:
            _write_journal(out_dir, journal)
            _roll(out_dir, journal)
        except OSError as again:  # the journal stays: the next build finishes the switch
            raise WriteError(
                f"cannot write the exports in {out_dir}: {exc.filename}: {exc.strerror}, and "
                f"putting the old set back failed too ({again.strerror}); the next build into "
                f"{out_dir} finishes the switch"
            ) from exc
        raise
    _finish(out_dir, staging)


def _finish(out_dir: Path, staging: Path) -> None:
    (out_dir / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(out_dir)
    shutil.rmtree(staging, ignore_errors=True)


def _read_journal(out_dir: Path) -> dict[str, object] | None:
    try:
        journal = json.loads((out_dir / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # unreadable: no switch can be finished from it
    ok = (isinstance(journal, dict) and isinstance(journal.get("staging"), str)
          and journal["staging"].startswith(STAGING_PREFIX) and "/" not in journal["staging"]
          and all(isinstance(journal.get(k), list) for k in ("files", "old")))  # fmt: skip
    return journal if ok else {}


def _roll(out_dir: Path, journal: Mapping[str, object]) -> None:
    """Finish a switch: forward from the staged files, or back to the old set's links.

    Idempotent, so a build killed while rolling is finished by the next one.
    """
    staging = out_dir / str(journal["staging"])
    files = [str(n) for n in journal["files"]]  # type: ignore[attr-defined]
    old = {str(n) for n in journal["old"]}  # type: ignore[attr-defined]
    for name in files:
        if journal.get("phase") == "back":
            if name in old:
                if (staging / _OLD / name).exists():
                    _replace(staging / _OLD / name, out_dir / name)
            else:
                (out_dir / name).unlink(missing_ok=True)  # it was not in the old set
        elif (staging / name).exists():
            _replace(staging / name, out_dir / name)
    _finish(out_dir, staging)


def _recover_locked(out_dir: Path) -> None:
    journal = _read_journal(out_dir)
    if journal:
        _roll(out_dir, journal)
    elif journal is not None:
        (out_dir / JOURNAL).unlink(missing_ok=True)
    for entry in out_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
            entry.unlink(missing_ok=True)  # temporaries of an earlier failure


def _write_error(exc: OSError, out_dir: Path) -> WriteError:
    where = exc.filename or out_dir
    reason = exc.strerror or str(exc)
    hint = {errno.ENOSPC: " (the disk is full)", errno.EROFS: " (a read-only file system)",
            errno.EDQUOT: " (over the disk quota)"}.get(exc.errno or 0, "")  # fmt: skip
    return WriteError(f"cannot write the exports in {out_dir}: {where}: {reason}{hint}; "
                      "the previous exports are unchanged")  # fmt: skip
