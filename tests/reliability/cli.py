"""Running `newsdesk` as a separate process, as a user does, against a given Prefect API."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NEWSDESK = [sys.executable, "-m", "flows.cli"]


def harness_api_url() -> str:
    """The API URL of the session's Prefect test server (call inside the prefect_harness fixture)."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def newsdesk_env(prefect_home: Path | None = None, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child `newsdesk`: its own PREFECT_HOME, and the given API or none
    (then the command starts Prefect's ephemeral server, as on a user's machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSDESK_"))}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONUNBUFFERED="1",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
               PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
    env["PREFECT_HOME"] = str(prefect_home or os.environ["PREFECT_HOME"])
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def start_newsdesk(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Starts `newsdesk ARGS` in its own process group (its ephemeral server is in the group too),
    with stdout and stderr going to `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen(NEWSDESK + args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL to the process and everything it started (the group is the process's own id)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def run_newsdesk(args: list[str], env: dict[str, str], log: Path, timeout_s: float) -> int | None:
    """Runs `newsdesk ARGS` to its end; None (and the group killed) when it outlives timeout_s."""
    process = start_newsdesk(args, env, log)
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        kill_group(process)
        return None
    finally:
        # The ephemeral server of a finished run must not outlive it.
        if process.returncode is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
