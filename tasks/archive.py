"""The raw archive: every body fetched is stored once, gzip-compressed, under its sha256.

Layout: <archive_dir>/<aa>/<bb>/<sha256>.gz. A body is written to a temporary file and renamed into
place, so a crash never leaves half a file under a valid name, and two threads or processes storing
the same body at once both end with the same complete file. The key is the content hash the
fetches and articles tables carry, so any page can be parsed again without the network.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from tasks.settings import Settings

# gzip level 3, not the usual 6: on real news pages (the Zyte set, 170 KiB on average) level 6
# took 6.7 ms a page and level 3 1.7 ms, for archives 12% larger (0.221 of the page against
# 0.198; bench/archivelevel.py); the fetch threads pay it in the flow process, beside the parse.
ARCHIVE_GZIP_LEVEL = 3


class ArchiveCorrupt(Exception):
    """A stored body no longer matches its hash."""


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def archive_dir_of(settings: Settings) -> Path:
    """The setting, or "<db file>.archive" beside the DuckDB file (the hashes in that file's
    fetches and articles tables name the bodies in this folder)."""
    if settings.archive_dir is not None:
        return Path(settings.archive_dir)
    db = Path(settings.db_path)
    return db.with_name(db.name + ".archive")


def archive_path(root: Path, digest: str) -> Path:
    return Path(root) / digest[:2] / digest[2:4] / f"{digest}.gz"


def store_body(root: Path, body: bytes) -> str:
    """Stores the body unless it is already there; returns its sha256."""
    digest = body_hash(body)
    path = archive_path(root, digest)
    if path.exists():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".gz")
    try:
        with os.fdopen(handle, "wb") as out:
            # mtime=0: the same body always gives the same archive bytes.
            out.write(gzip.compress(body, compresslevel=ARCHIVE_GZIP_LEVEL, mtime=0))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest


def has_body(root: Path, digest: str) -> bool:
    return archive_path(root, digest).exists()


def read_body(root: Path, digest: str) -> bytes:
    """The stored body, checked against its hash; FileNotFoundError when it was never stored."""
    body = gzip.decompress(archive_path(root, digest).read_bytes())
    if body_hash(body) != digest:
        raise ArchiveCorrupt(f"{archive_path(root, digest)} does not hash to its name")
    return body
