"""One error hierarchy: every failure the user can see is a :class:`TsunagariError`.

Each kind carries its exit code; the CLI turns any of them into a one-line message in one
place (``graph.cli``). Input errors (a file, line or option the user can fix) exit 2; faults of
the environment (disk, permissions, servers) and graphs that break the shapes exit 1.
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "OutputPathError",
    "StrictError",
    "SystemFaultError",
    "TsunagariError",
    "WriteError",
]


class TsunagariError(Exception):
    """Base of every error meant for the user; ``str()`` is the message."""

    exit_code = 1


class InputError(TsunagariError):
    """Input that cannot be used: a file, a line or an option the user can fix."""

    exit_code = 2


class SystemFaultError(TsunagariError):
    """The machine or a service failed: a disk, a permission, a server."""

    exit_code = 1


class StrictError(InputError):
    """``--strict`` and the reader warned: the warnings are the message's details."""


class OutputPathError(InputError):
    """An output path that cannot be a directory (a regular file stands in its way)."""


class WriteError(SystemFaultError):
    """Writing the exports failed: a read-only or full disk, a permission; names the path."""
