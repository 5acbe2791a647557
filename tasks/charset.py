"""Which charset the bytes of a page are really in, when the Content-Type header may lie.

The body bytes are kept as they came; only the name is decided here, so that the parser decodes
with it. Order: a byte-order mark; valid UTF-8 (non-ASCII bytes that happen to form valid UTF-8
are almost never another charset); the header's charset, then the page's <meta> charset, each
only if the bytes decode with it; then charset_normalizer's guess.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# WHATWG: browsers read these labels as windows-1252, and so do pages that declare them.
_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252",
            "us-ascii": "windows-1252", "ascii": "windows-1252", "iso8859-1": "windows-1252"}


def header_charset(content_type_header: str) -> str | None:
    for param in content_type_header.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(' "\''):
            return value.strip(' "\'').lower()
    return None


def meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii", errors="ignore").lower() if found else None


def _decodes_as(body: bytes, charset: str | None) -> str | None:
    if not charset:
        return None
    name = _ALIASES.get(charset, charset)
    try:
        codecs.lookup(name)
        body.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None
    return name


def detect_charset(body: bytes, declared: str | None) -> str:
    """The charset the body decodes with; `declared` is the header's, when it named one."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if body.isascii():
        return _ALIASES.get(declared or "", declared or "utf-8") if _decodes_as(body, declared) else "utf-8"
    if _decodes_as(body, "utf-8"):
        return "utf-8"
    for candidate in (declared, meta_charset(body)):
        name = _decodes_as(body, candidate)
        if name and name not in ("utf-8", "utf8"):
            return name
    guess = from_bytes(body[:65536]).best()
    return guess.encoding if guess is not None else "windows-1252"
