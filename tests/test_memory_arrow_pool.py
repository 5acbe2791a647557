"""Arrow's allocator in a process that loads batches (warehouse/loader.py: use_system_arrow_pool):
the C library's malloc unless the user named a pool. Checked in fresh processes, since the pool
is chosen once per process at import."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# An array made after the import must come from the pool the import chose.
PROBE = ("import pyarrow as pa, warehouse.loader as loader; "
         "kept = pa.array([str(i) for i in range(1000)]); pool = pa.default_memory_pool(); "
         "print(pool.backend_name, pool.bytes_allocated() >= kept.nbytes > 0)")


def backend_after_import(extra_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"} | extra_env
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    return out.stdout.strip()


def test_importing_the_loader_puts_arrow_on_the_system_allocator():
    assert backend_after_import({}) == "system True"


def test_a_pool_the_user_named_is_left_alone():
    assert backend_after_import({"ARROW_DEFAULT_MEMORY_POOL": "mimalloc"}) == "mimalloc True"


def test_the_choice_reports_what_it_did(monkeypatch):
    import pyarrow as pa

    from warehouse.loader import use_system_arrow_pool

    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
    assert use_system_arrow_pool() is False
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
    assert use_system_arrow_pool() is True
    assert pa.default_memory_pool().backend_name == "system"
