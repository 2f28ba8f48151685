"""Text that XML 1.0 can carry: one place for every XML (and HTML) export.

Casebook text is untrusted and PDF-extracted; a stray control character (``\\x01``, ``ESC``)
makes a GraphML file that networkx and Gephi refuse. XML 1.0 allows only tab, line feed,
carriage return and U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF, and no character
reference can bring the others back, so each is replaced by U+FFFD (the replacement
character): visible where it was, never silently glued away.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _FORBIDDEN.sub(REPLACEMENT, text)
