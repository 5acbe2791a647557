"""tasks/memory.py: with the mmap threshold fixed, large buffers freed go back to the system.

Each case runs in a fresh interpreter: the setting is process-wide. The pattern is a run's: one
large block comes and goes (glibc then raises its threshold), then many page-sized buffers are
allocated between small ones that outlive them, and freed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.reliability.cli import REPO

PROGRAM = """
import json, os, sys
from tasks.memory import fix_mmap_threshold

def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

fixed = fix_mmap_threshold() if sys.argv[1] == "fix" else False
first = bytearray(1 << 20)
del first
before = rss_mb()
blocks, small = [], []
for _ in range(100):
    blocks.append(bytearray(900 * 1024))
    small.append(bytearray(1000))   # outlives the blocks, so the heap cannot shrink below it
del blocks
print(json.dumps({"fixed": fixed, "kept_mb": rss_mb() - before}))
"""


def run_case(case: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", PROGRAM, case], cwd=REPO, capture_output=True, text=True,
                         env=env or os.environ.copy(), timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_freed_page_buffers_go_back_to_the_system_with_the_threshold_fixed():
    plain, fixed = run_case("plain"), run_case("fix")
    assert fixed["fixed"] is True
    assert plain["kept_mb"] > 50, plain      # glibc's default: ~90 MB of freed buffers kept
    assert fixed["kept_mb"] < 10, fixed


def test_a_threshold_the_user_set_is_left_alone():
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
    assert run_case("fix", env)["fixed"] is False
