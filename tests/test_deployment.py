"""The deployment path for real: a `prefect server` on 127.0.0.1, a process work pool, `prefect
deploy --all` from prefect.yaml, a worker, and a triggered run of the ingest deployment that
loads the example site into DuckDB. Every process started here is stopped here."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows.site_server import serve_site
from tests.conftest import EXAMPLES_SITE, REPO
from warehouse.queries import run_query

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(api_url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"prefect server at {api_url} did not become healthy")


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture()
def prefect_server(tmp_path):
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api_url,
           # No scheduled poll-feeds run may start during the test.
           "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false"}
    server = start([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                   env, tmp_path / "server.log")
    try:
        wait_healthy(api_url)
        yield env
    finally:
        stop(server)


def prefect(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run([str(BIN / "prefect"), "--no-prompt", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_ingest_deployment_runs_on_a_worker(prefect_server, tmp_path):
    env = prefect_server
    prefect(env, "work-pool", "create", "newsdesk", "--type", "process")
    deployed = prefect(env, "deploy", "--all")
    assert "ingest/ingest-urls" in deployed and "ingest/poll-feeds" in deployed
    worker = start([str(BIN / "prefect"), "worker", "start", "--pool", "newsdesk"], env, tmp_path / "worker.log")
    db = tmp_path / "deployed.duckdb"
    try:
        with serve_site(EXAMPLES_SITE) as base_url:
            params = {"feeds": [f"{base_url}/feed.xml"], "db_path": str(db), "allow_private_hosts": True}
            prefect(env, "deployment", "run", "ingest/ingest-urls", "--params", json.dumps(params),
                    "--watch", "--watch-timeout", "300", timeout=360)
    finally:
        stop(worker)
    pages = [p for p in EXAMPLES_SITE.glob("*.html") if p.name != "index.html"]
    worker_log = (tmp_path / "worker.log").read_text()[-3000:]
    assert run_query(db, "SELECT count(*) FROM articles").rows == ((len(pages),),), worker_log
    speakers = run_query(db, "SELECT speaker FROM quotes_with_speakers WHERE quote LIKE 'This could be a way%'").rows
    assert speakers == (("Vladimir Putin",),)
