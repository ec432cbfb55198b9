"""One escaping policy per output format, applied to every value a report writes.

Vendor text, service names, incident and contract ids, clause titles and texts all come from
outside: a vendor's status page can name a service ``<img onerror=…>``. Each format gets the
one treatment that makes such text inert there:

- HTML: jinja2's autoescape (templates ending in ``.html.j2``);
- Markdown: ``<``, ``>`` and ``&`` as entities (no raw HTML reaches a renderer) and the
  characters that make links, emphasis, code or table cells backslash-escaped;
- plain text for a terminal: control characters shown as ``\\xNN``, never sent;
- XML (JUnit): characters XML 1.0 forbids replaced by U+FFFD;
- CSV: a cell that a spreadsheet would read as a formula gets a leading ``'`` (OWASP).
"""

from __future__ import annotations

import re

__all__ = ["markdown_text", "terminal_text", "xml_text", "csv_cell"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def terminal_text(value: str) -> str:
    """Control characters (ESC, BEL, …) as visible ``\\xNN``: the terminal shows them, it does not run them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def markdown_text(value: object) -> object:
    """A value as inert Markdown text (non-strings are left to jinja2)."""
    if not isinstance(value, str):
        return value
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", terminal_text(text))


def xml_text(value: str) -> str:
    return _XML_INVALID.sub("\ufffd", value)


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
