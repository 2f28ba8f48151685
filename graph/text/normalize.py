"""Text normalisation for PDF-extracted casebook text.

Layout whitespace is noise: PDF extraction splits words ("中高 年者") and labels
("団 体 名"). A space is kept only between two ASCII letters/digits, where it separates
real words ("Arts Alive").
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}
_CIRCLED_TABLE = str.maketrans(_CIRCLED)
_WS = r"[ \t\u3000\u00a0\u2002-\u200b]"
_WS_RUN = re.compile(_WS + "+")
_WS_CHARS = " \t\u3000\u00a0" + "".join(map(chr, range(0x2002, 0x200C)))


def _drop_ws(text: str) -> str:
    """``_WS_RUN.sub("", text)``: str.replace per character is faster than a regex sub."""
    for char in _WS_CHARS:
        if char in text:
            text = text.replace(char, "")
    return text

# Single letters spaced out ("N P O"), not after a letter or digit. Each pattern starts with a
# character class, not a lookbehind, so that the regex engine skips ahead to candidates.
_SPACED_LETTERS = re.compile(
    r"[A-Za-z](?<![A-Za-z0-9][A-Za-z])(?:" + _WS + r"+[A-Za-z])+(?![A-Za-z0-9])"
)
# Both spaced-out letters and a kept word gap need an ASCII letter or digit before a gap.
_ALNUM_GAP = re.compile(r"[A-Za-z0-9]" + _WS)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_BLOCK_TAGS = {"li", "p", "br", "ul", "ol", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_BULLET = re.compile(r"・" + _WS + r"+")
_WORD_GAP = re.compile(_WS + r"(?<=[A-Za-z0-9]" + _WS + r")" + _WS + r"*(?=[A-Za-z0-9])")


_HAS_CIRCLED = re.compile("[\u2460-\u2473]")
_ANY_WS = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """NFKC with circled numbers kept distinguishable from plain digits."""
    if _HAS_CIRCLED.search(text):  # translate() is slow; most text has no circled numbers
        text = text.translate(_CIRCLED_TABLE)
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """Remove layout whitespace from one line of NFKC text (see module docstring)."""
    if not _WS_RUN.search(text):
        return text
    if not _ALNUM_GAP.search(text):  # Japanese text: no space to keep, no spaced-out letters
        return _drop_ws(text).replace("\x00", " ")
    text = _SPACED_LETTERS.sub(lambda m: _drop_ws(m.group(0)), text)
    # Regex-only (no Python callback per match): keep one space between ASCII words.
    text = _WORD_GAP.sub("\x00", text)
    return _drop_ws(text).replace("\x00", " ")


# squash() leaves text as it is when every layout gap left is one ASCII space between two
# ASCII letters/digits (what it keeps), no single letters stand spaced out, and no NUL (its
# placeholder) is in the text. The gaps it would change:
_BAD_GAP = re.compile(r"[\t\u3000\u00a0\u2002-\u200b]| (?<![A-Za-z0-9] )| (?![A-Za-z0-9])")


def _resquash(text: str) -> str:
    """``squash(text)``, without running it on text it would leave as it is."""
    if not _WS_RUN.search(text):
        return text
    if "\x00" not in text and not _BAD_GAP.search(text) and not _SPACED_LETTERS.search(text):
        return text
    return squash(text)


# NFKC can yield new spaces (´ → " ́") and dropping spaces can enable new compositions, so a
# single pass is not idempotent; a few passes (at most 4) always settle. A pass over text that
# is already NFKC is only the whitespace step, and the last pass, which finds nothing left to
# change, is a few searches instead of a normalisation.


def _settle_prose(text: str) -> str:
    """``squash(nfkc(·))`` repeated until nothing changes (at most 4 passes)."""
    for _ in range(4):
        if unicodedata.is_normalized("NFKC", text):  # a circled number never is
            new = _resquash(text)
        else:
            new = squash(nfkc(text))
        if new == text:
            break
        text = new
    return text


def _norm_name_once(text: str) -> str:
    text = _TAG.sub(" ", nfkc(html.unescape(text)))
    return squash(text.replace("\n", " ").replace("\r", " "))


def _settle_name(text: str) -> str:
    """:func:`_norm_name_once` repeated until nothing changes (at most 4 passes)."""
    for _ in range(4):
        # Without & (unescape), < (tags), line breaks and non-NFKC text, a pass is squash().
        if (
            "&" in text
            or "<" in text
            or "\n" in text
            or "\r" in text
            or not unicodedata.is_normalized("NFKC", text)
        ):
            new = _norm_name_once(text)
        else:
            new = _resquash(text)
        if new == text:
            break
        text = new
    return text


# Names, labels, places and table cells repeat from case to case: a bounded memo of the short
# ones (a long value is a one-off and would only hold memory).
_NAME_MEMO: dict[str, str] = {}
_NAME_MEMO_SIZE = 1 << 15
_NAME_MEMO_LENGTH = 120


def norm_name(text: str) -> str:
    """Normalise a name or short value: NFKC, tags dropped, layout whitespace removed."""
    found = _NAME_MEMO.get(text)
    if found is not None:
        return found
    result = _settle_name(text)
    if len(text) <= _NAME_MEMO_LENGTH:
        if len(_NAME_MEMO) >= _NAME_MEMO_SIZE:
            _NAME_MEMO.clear()  # bounded; the values that do repeat are back at once
        _NAME_MEMO[text] = result
    return result


@lru_cache(maxsize=65536)  # labels and table rows repeat from case to case
def key(text: str) -> str:
    """A matching key: normalised and without any whitespace at all."""
    return _ANY_WS.sub("", norm_name(text))


def prose_lines(text: str) -> list[str]:
    """Split a prose cell into its items: HTML blocks, ・ bullets and line breaks."""
    text = nfkc(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else " ", text)
    text = html.unescape(text)
    text = _BULLET.sub("\n", text)
    lines = (_settle_prose(line) for line in text.split("\n"))
    return [line for line in lines if line]


def norm_prose(text: str | None) -> str | None:
    """Normalise a prose cell to plain text, one item per line; None when empty."""
    if text is None:
        return None
    lines = prose_lines(text)
    return "\n".join(lines) if lines else None
