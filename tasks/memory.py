"""The flow process's allocator setting: large buffers go back to the system when freed.

glibc serves an allocation above its mmap threshold (128 KiB at start) with a mapping of its own,
given back to the system when freed; but each time such a block is freed it raises the threshold
to that block's size (up to 32 MB). After the first page bodies, feed documents and Arrow/DuckDB
buffers of a run have come and gone, blocks of their size come from the heap instead, where what is
freed stays with the process and fragments it. Fixing the threshold (which also turns the raising
off) keeps every large buffer a mapping of its own: at 3000 pages the flow process peaked at
410 MB instead of 422 (ru_maxrss; 379 instead of 402 sampled; bench/memory.py, docs/BENCHMARKS.md).
"""
from __future__ import annotations

import ctypes
import functools
import os
import sys

M_MMAP_THRESHOLD = -3               # mallopt's parameter number in glibc's malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024   # glibc's own starting value


@functools.cache
def fix_mmap_threshold() -> bool:
    """Fixes glibc's mmap threshold for this process, once (every run calls it; the setting is the
    process's); returns whether it did. Not on other C libraries (no mallopt), nor when
    MALLOC_MMAP_THRESHOLD_ is set (the user's own choice)."""
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)   # the C library the process runs on
    return bool(mallopt and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1)
