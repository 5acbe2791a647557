"""What the parse pool's fork server loads before it forks a worker (tasks/parse_pool.py).

A worker starts with what the fork server holds, sharing its pages for as long as neither
writes to them: the parse steps' modules, and the language detector's model, which a worker
would otherwise load for itself at the first page that declares no language (about 70 MB of
private memory per worker on real news pages: `bench/parseworkers.py`, docs/BENCHMARKS.md,
"Peak memory"). Importing this module is what loads them.
"""
from __future__ import annotations

from tasks import parse_steps  # noqa: F401  (imported for the fork server to hold)
from tasks.metadata import load_language_model

load_language_model()
