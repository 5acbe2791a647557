"""What the parse pool's fork server loads before it forks a worker (tasks/parse_pool.py).

A worker starts with what the fork server holds, sharing its pages for as long as neither
writes to them: the parse steps' modules, imported here once instead of once per worker.
(Until the language detector became CLD2, whose tables are library code, the fork server also
loaded py3langid's 70 MB model here so that the workers shared one copy: docs/BENCHMARKS.md.)
"""
from __future__ import annotations

import pycld2  # noqa: F401  (the language detector; imported lazily by tasks.metadata elsewhere)

from tasks import parse_steps  # noqa: F401  (imported for the fork server to hold)
