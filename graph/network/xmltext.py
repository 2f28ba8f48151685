"""Text that XML 1.0 can carry: one place for every XML (and HTML) export.

Casebook text is untrusted and PDF-extracted; a stray control character (``\\x01``, ``ESC``)
makes a GraphML file that networkx and Gephi refuse. XML 1.0 allows only tab, line feed,
carriage return and U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF, and no character
reference can bring the others back, so each is replaced by U+FFFD (the replacement
character): visible where it was, never silently glued away.

``XmlStream`` writes an XML document piece by piece into a binary file, so an export of a
national network is never one tree or one string in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

REPLACEMENT = "\ufffd"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _FORBIDDEN.sub(REPLACEMENT, text)


def xml_text(text: str) -> str:
    """``text`` escaped for element content (as ElementTree escapes it)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def xml_attr(text: str) -> str:
    """``text`` escaped for a double-quoted attribute value (as ElementTree escapes it)."""
    text = xml_text(text)
    for char, entity in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if char in text:
            text = text.replace(char, entity)
    return text


class XmlStream:
    """Pieces of an XML document, written to a binary file a batch at a time as UTF-8.

    Each batch goes through :func:`xml_safe` once (a forbidden character is one code point,
    so a batch boundary never splits one): one pass rather than a test in every escape.
    """

    def __init__(self, out: BinaryIO, batch: int = 4096) -> None:
        self._out = out
        self._batch = batch
        self._parts: list[str] = []

    def add(self, text: str) -> None:
        parts = self._parts
        parts.append(text)
        if len(parts) >= self._batch:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._out.write(xml_safe("".join(self._parts)).encode("utf-8"))
            self._parts.clear()


@contextmanager
def open_binary(out: BinaryIO | Path) -> Iterator[BinaryIO]:
    """``out`` itself if it is a binary file object, else the file at that path, made anew."""
    if isinstance(out, Path | str):
        with open(out, "wb", buffering=1 << 20) as fh:
            yield fh
    else:
        yield out
