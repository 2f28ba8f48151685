"""Text normalisation for PDF-extracted casebook text.

Layout whitespace is noise: PDF extraction splits words ("中高 年者") and labels
("団 体 名"). A space is kept only between two ASCII letters/digits, where it separates
real words ("Arts Alive").
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}
_CIRCLED_TABLE = str.maketrans(_CIRCLED)
_WS = r"[ \t\u3000\u00a0\u2002-\u200b]"
_WS_RUN = re.compile(_WS + "+")
_SPACED_LETTERS = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]" + _WS + r"+){1,}[A-Za-z](?![A-Za-z0-9])"
)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_BLOCK_TAGS = {"li", "p", "br", "ul", "ol", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_BULLET = re.compile(r"・" + _WS + r"+")
_WORD_GAP = re.compile(r"(?<=[A-Za-z0-9])" + _WS + r"+(?=[A-Za-z0-9])")


_HAS_CIRCLED = re.compile("[\u2460-\u2473]")


def nfkc(text: str) -> str:
    """NFKC with circled numbers kept distinguishable from plain digits."""
    if _HAS_CIRCLED.search(text):  # translate() is slow; most text has no circled numbers
        text = text.translate(_CIRCLED_TABLE)
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """Remove layout whitespace from one line of NFKC text (see module docstring)."""
    if not _WS_RUN.search(text):
        return text
    text = _SPACED_LETTERS.sub(lambda m: _WS_RUN.sub("", m.group(0)), text)
    # Regex-only (no Python callback per match): keep one space between ASCII words.
    text = _WORD_GAP.sub("\x00", text)
    return _WS_RUN.sub("", text).replace("\x00", " ")


def _fixed_point(step: Callable[[str], str], text: str) -> str:
    # NFKC can yield new spaces (´ → " ́") and dropping spaces can enable new compositions,
    # so a single pass is not idempotent; a few passes always settle.
    for _ in range(4):
        new = step(text)
        if new == text:
            break
        text = new
    return text


def _norm_name_once(text: str) -> str:
    text = _TAG.sub(" ", nfkc(html.unescape(text)))
    return squash(text.replace("\n", " ").replace("\r", " "))


def norm_name(text: str) -> str:
    """Normalise a name or short value: NFKC, tags dropped, layout whitespace removed."""
    return _fixed_point(_norm_name_once, text)


@lru_cache(maxsize=65536)  # labels and table rows repeat from case to case
def key(text: str) -> str:
    """A matching key: normalised and without any whitespace at all."""
    return re.sub(r"\s+", "", norm_name(text))


def prose_lines(text: str) -> list[str]:
    """Split a prose cell into its items: HTML blocks, ・ bullets and line breaks."""
    text = nfkc(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else " ", text)
    text = html.unescape(text)
    text = _BULLET.sub("\n", text)
    lines = (_fixed_point(lambda t: squash(nfkc(t)), line) for line in text.split("\n"))
    return [line for line in lines if line]


def norm_prose(text: str | None) -> str | None:
    """Normalise a prose cell to plain text, one item per line; None when empty."""
    if text is None:
        return None
    lines = prose_lines(text)
    return "\n".join(lines) if lines else None
