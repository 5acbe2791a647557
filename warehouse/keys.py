"""Content-derived keys: the same input always gets the same key, so reloads upsert instead of adding."""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit


def make_key(*parts: object) -> str:
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def fold_name(name: str) -> str:
    """Case and spacing differences do not make a new author, speaker or tag."""
    return " ".join(name.split()).casefold()


def source_of(url: str) -> str:
    """The site a URL belongs to; "unknown" for one urllib refuses (see tasks/urls.py), which
    the fetch records as bad_url."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return "unknown"
    return host.removeprefix("www.") or "unknown"
