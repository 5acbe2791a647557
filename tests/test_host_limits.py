"""Per-host limits across runs (tasks/host_limits.py), seen by the server being fetched.

Two separate processes fetch the same host at once, as two `newsdesk ingest` runs or two Prefect
workers would: each has its own in-process registry, so only the Prefect limit they share can
keep the host's count of simultaneous requests at the per-host limit. The Prefect server is the
session's test server (`prefect_harness`); the children get its API URL in their environment.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import replace
from urllib.parse import urlsplit

from hypothesis import example, given, settings as hypothesis_settings, strategies as st
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

from tasks.fetch import fetch_url
from tasks.host_limits import LIMIT_PREFIX, MAX_NAME_CHARS, lease_for, limit_name, uses_host_limits
from tasks.leases import PrefectLimit, SlotUnavailable, api_calls
from tasks.politeness import HostRegistry, SlotSharing
from tasks.settings import Settings
from tests.local_server import html, local_server, starts
from tests.reliability.cli import REPO, harness_api_url, newsdesk_env

PAGE = b"<!doctype html><html><body><p>Shared politeness</p></body></html>"
PAGES = 6
CHILD = "from tests.test_host_limits import fetch_in_child; fetch_in_child()"
BANNED = set("/%&><")


# ---------------------------------------------------------------- limit names

def test_limit_names_are_host_and_port_without_scheme_credentials_or_default_port():
    assert limit_name("http://Example.COM/a") == "newsdesk-host:example.com"
    assert limit_name("https://example.com:443/b?c=d") == "newsdesk-host:example.com"
    assert limit_name("https://user:secret@example.com:8443/") == "newsdesk-host:example.com:8443"
    assert limit_name("http://[::1]:8080/") == "newsdesk-host:::1:8080"


def test_changed_or_long_names_end_in_a_digest_so_hosts_stay_apart():
    unicode_a, unicode_b = limit_name("http://bücher.de/"), limit_name("http://bächer.de/")
    assert unicode_a != unicode_b and unicode_a.startswith(LIMIT_PREFIX + "b_cher.de~")
    long_a = limit_name("http://" + "a" * 200 + ".example/")
    long_b = limit_name("http://" + "a" * 199 + "b.example/")
    assert long_a != long_b and len(long_a) == len(long_b) == MAX_NAME_CHARS


hosts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#@[]\\"),
                min_size=1, max_size=300)


@hypothesis_settings(max_examples=300, deadline=None)
@given(host=hosts, port=st.one_of(st.none(), st.integers(1, 65535)))
def test_any_host_gives_a_bounded_name_prefect_accepts(host, port):
    url = f"https://{host}" + (f":{port}" if port else "") + "/page"
    name = limit_name(url)
    assert name.startswith(LIMIT_PREFIX) and len(name) <= MAX_NAME_CHARS
    assert not BANNED & set(name)
    assert GlobalConcurrencyLimitCreate(name=name, limit=1).name == name
    assert limit_name(url) == name


@hypothesis_settings(max_examples=300, deadline=None)
@given(a=hosts, b=hosts)
@example(a="0", b="\uff1a")   # found by a CI run: urlsplit refuses a host NFKC turns into ':'
def test_different_hosts_never_share_a_limit(a, b):
    first, second = f"https://{a}/", f"https://{b}/"
    if limit_name(first) == limit_name(second):
        assert _host_or_raw(first) == _host_or_raw(second)


def _host_or_raw(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:   # invalid under NFKC: only the same raw authority may share a name
        return url.split("//", 1)[1].split("/", 1)[0].lower()


def test_a_host_invalid_under_nfkc_gets_its_own_name_and_is_refused_as_bad_url():
    odd, other = limit_name("https://\uff1a/"), limit_name("https://a\uff1ab.example/")
    assert odd != other and odd.startswith(LIMIT_PREFIX + "_~")
    result = fetch_url("https://a\uff1ab.example/story", Settings(retry_delays_s=(0.01,)))
    assert result.outcome == "bad_url" and "NFKC" in result.error


# ---------------------------------------------------------------- two processes, one host

def fetch_in_child() -> None:
    """A child run: fetches the URLs on 4 threads once the parent says go, prints the outcomes."""
    from concurrent.futures import ThreadPoolExecutor

    from tasks.fetch import fetch_url
    from tasks.politeness import release_spare_slots

    args = json.loads(sys.argv[1])
    settings = Settings(allow_private_hosts=True, per_host_delay_s=args["delay"], fetch_workers=4,
                        host_concurrency_limits=args["shared"], host_limit_timeout_s=30.0,
                        retry_delays_s=(0.05,), connect_timeout_s=2.0, read_timeout_s=5.0)
    print("ready", flush=True)
    sys.stdin.readline()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda url: fetch_url(url, settings), args["urls"]))
    release_spare_slots()   # as the fetch tasks do at their end
    print(json.dumps({"api_calls": api_calls()}), flush=True)   # read by bench/hostlimits.py
    print(json.dumps([r.outcome for r in results]), flush=True)


def run_two_children(urls: list[str], delay: float, shared: bool) -> list[list[str]]:
    """Two child processes against one Prefect API, started together; their outcomes."""
    env = newsdesk_env(api_url=harness_api_url())
    arg = json.dumps({"urls": urls, "delay": delay, "shared": shared})
    children = [subprocess.Popen([sys.executable, "-c", CHILD, arg], cwd=REPO, env=env, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)]
    # A child stuck before it says ready must not hang the test: both are killed after 120 s.
    guard = threading.Timer(120, lambda: [child.kill() for child in children])
    guard.start()
    try:
        for child in children:   # both have imported Prefect and are waiting
            assert child.stdout.readline().strip() == "ready"
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        return [json.loads(child.communicate(timeout=60)[0].splitlines()[-1]) for child in children]
    finally:
        guard.cancel()
        for child in children:
            child.kill()
            child.wait()


def test_two_processes_share_the_host_limit_and_its_delay(prefect_harness):
    """One slot per host and 0.15 s between starts, from the two runs together; without the
    shared limit (the control) the same two runs put two requests in flight at once."""
    with local_server({f"/p{i}": html(PAGE) for i in range(PAGES)}, latency_s=0.1) as server:
        urls = [f"{server.base_url}/p{i}" for i in range(PAGES)]
        outcomes = run_two_children(urls, delay=0.15, shared=True)
        shared_peak, shared_starts = server.max_active, starts(server)
    with local_server({f"/p{i}": html(PAGE) for i in range(PAGES)}, latency_s=0.1) as control:
        urls = [f"{control.base_url}/p{i}" for i in range(PAGES)]
        control_outcomes = run_two_children(urls, delay=0.15, shared=False)
        control_peak, control_starts = control.max_active, starts(control)
    assert outcomes == control_outcomes == [["fetched"] * PAGES] * 2
    # 2 x (robots.txt + 6 pages), each process's requests spaced by its own registry anyway.
    assert len(shared_starts) == len(control_starts) == 2 * (PAGES + 1)
    assert shared_peak == 1 and control_peak == 2
    # Starts 0.15 s apart as the server saw them. On a loaded machine a request can reach the
    # server thread late, which shortens one gap and lengthens the next by as much, so a single
    # gap is held to a share of the delay, and the whole span to all the delays (the jitter does
    # not add up). The control's two runs, each spaced by its own registry, take half that span.
    gaps = [b - a for a, b in zip(shared_starts, shared_starts[1:])]
    assert min(gaps) >= 0.4 * 0.15, gaps
    assert shared_starts[-1] - shared_starts[0] >= (len(shared_starts) - 1) * 0.15 - 0.05, gaps
    assert control_starts[-1] - control_starts[0] < (len(control_starts) - 1) * 0.15 - 0.05


def test_a_host_held_elsewhere_ends_as_host_busy_after_the_timeout(prefect_harness):
    """Another run holds the host's only slot: the first fetch gives up after host_limit_timeout_s
    with its own outcome, the ones queued behind it give up at once instead of waiting their own
    timeout each, and the host sees no request at all; once the slot is free, fetches go on."""
    from concurrent.futures import ThreadPoolExecutor

    from prefect.concurrency.sync import concurrency

    from tasks.fetch import fetch_url

    settings = Settings(allow_private_hosts=True, per_host_delay_s=0.0, host_limit_timeout_s=1.5)
    assert uses_host_limits(settings)
    with local_server({f"/p{i}": html(PAGE) for i in range(3)}) as server:
        limit = PrefectLimit(limit_name(server.base_url), 1, 1.5)
        limit.ensure()
        with concurrency(limit.name, occupy=1, lease_duration=60, strict=True):
            began = time.monotonic()
            with ThreadPoolExecutor(3) as pool:
                busy = list(pool.map(lambda i: fetch_url(f"{server.base_url}/p{i}", settings), range(3)))
            waited = time.monotonic() - began
        hits_while_held = sum(server.hits.values())
        after = fetch_url(server.base_url + "/p0", settings)
    assert [r.outcome for r in busy] == ["host_busy"] * 3 and all(r.attempts == 1 for r in busy)
    errors = sorted(r.error for r in busy)
    assert sum("within 1.5 s" in e for e in errors) == 1 and sum("not waited for again" in e for e in errors) == 2
    assert 1.4 <= waited < 4.0 and hits_while_held == 0   # one timeout, not three in a row (4.5 s)
    assert after.outcome == "fetched"


def test_the_limit_is_used_only_with_a_server_and_when_asked_for():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    # No PREFECT_API_URL: an ad hoc run on its ephemeral server, where the registry holds all.
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not uses_host_limits(Settings())
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}):
        assert uses_host_limits(Settings())
        assert not uses_host_limits(replace(Settings(), host_concurrency_limits=False))


def test_the_lease_covers_a_request_and_its_rest_and_is_short():
    assert lease_for(Settings()) == 5 + 20 + 60 + 30 + 10   # connect, read, total, crawl-delay cap, margin
    assert lease_for(Settings(per_host_concurrency=2, max_crawl_delay_s=20)) == 5 + 20 + 60 + 40 + 10
    quick = Settings(connect_timeout_s=1, read_timeout_s=1, total_timeout_s=1, max_crawl_delay_s=0)
    assert lease_for(quick) == 60   # the least the Prefect server grants


def test_a_long_wait_before_the_start_renews_the_lease_and_a_lost_lease_stops_the_request(prefect_harness):
    limit = PrefectLimit(limit_name("http://lease.example/"), 1, 5.0, 60.0)
    limit.ensure()
    with limit.hold() as slot:
        slot.leased_at -= 30    # as if the host's turn and a global slot took 30 s
        slot.starting()         # renewed on the server: no error, and counted from now
        assert time.monotonic() - slot.leased_at < 5
        slot.release()          # the lease is gone (as when it ran out) ...
        slot.leased_at -= 30
        try:
            slot.starting()     # ... so the request must not start
        except SlotUnavailable as lost:
            assert "lease" in str(lost) and "lost" in str(lost)
        else:
            raise AssertionError("a lost lease was not noticed")


# ---------------------------------------------------------------- the slot handed on within a run

def active_slots(name: str) -> int:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return client.read_global_concurrency_limit_by_name(name).active_slots


class Host:
    """Stands for the host being fetched: counts the requests in flight under each registry."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active, self.peak = 0, 0
        self.requests: dict[str, int] = {}

    def request(self, registry: HostRegistry, key: str, limit: PrefectLimit, run: str) -> None:
        with registry.slot(key, 0.0, limit):
            with self.lock:
                self.active += 1
                self.peak = max(self.peak, self.active)
                self.requests[run] = self.requests.get(run, 0) + 1
            time.sleep(0.005)
            with self.lock:
                self.active -= 1


def test_threads_of_one_run_hand_the_slot_on_instead_of_asking_the_server_each_time(prefect_harness):
    """Four threads make 40 requests to one host: one at a time, as the limit says, with far
    fewer limit API calls than the two (take, give back) per request of a slot per request; the
    slot set aside stays taken on the server until the fetch task's end gives it back."""
    from concurrent.futures import ThreadPoolExecutor

    limit = PrefectLimit(limit_name("http://handed-on.example/"), 1, 10.0, 60.0)
    registry, host = HostRegistry(4, 1), Host()
    host.request(registry, "http://handed-on.example", limit, "run")   # the limit created
    before = api_calls()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: host.request(registry, "http://handed-on.example", limit, "run"), range(40)))
    calls = api_calls() - before
    assert host.peak == 1 and host.requests["run"] == 41
    assert calls <= 40 * 0.25, calls
    assert active_slots(limit.name) == 1
    registry.release_spares()
    assert active_slots(limit.name) == 0


def test_two_runs_that_hand_slots_on_still_take_turns_at_the_host(prefect_harness):
    """Two registries (two runs) keep fetching one host with one shared slot: each hands the
    slot on for a 0.3 s turn only, so both fetch during the same 3 s, never at once."""
    from concurrent.futures import ThreadPoolExecutor

    limit = PrefectLimit(limit_name("http://turns.example/"), 1, 10.0, 60.0)
    limit.ensure()
    sharing = SlotSharing(turn_s=0.3, gap_s=0.4, linger_s=0.5)
    runs = {"a": HostRegistry(4, 1, sharing=sharing), "b": HostRegistry(4, 1, sharing=sharing)}
    host, deadline = Host(), time.monotonic() + 3.0

    def keep_fetching(run: str) -> None:
        while time.monotonic() < deadline:
            host.request(runs[run], "http://turns.example", limit, run)
        runs[run].release_spares()   # as a fetch task does at its end

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(keep_fetching, ["a", "a", "b", "b"]))
    assert host.peak == 1
    # Each run had several turns of many requests; without turns the first run would keep the
    # host (the other one polls a limit that is never free).
    assert min(host.requests.values()) >= 0.2 * max(host.requests.values()), host.requests
    assert active_slots(limit.name) == 0


def test_a_spare_slot_nobody_takes_goes_back_at_the_next_request_of_the_run(prefect_harness):
    sharing = SlotSharing(turn_s=5.0, gap_s=0.2, linger_s=0.2)
    registry, host = HostRegistry(4, 1, sharing=sharing), Host()
    idle = PrefectLimit(limit_name("http://idle.example/"), 1, 10.0, 60.0)
    busy = PrefectLimit(limit_name("http://busy.example/"), 1, 10.0, 60.0)
    host.request(registry, "http://idle.example", idle, "run")
    assert active_slots(idle.name) == 1     # set aside for a next request to the host
    time.sleep(0.3)
    host.request(registry, "http://busy.example", busy, "run")   # another host's request ends
    assert active_slots(idle.name) == 0 and active_slots(busy.name) == 1
    registry.release_spares()
    assert active_slots(busy.name) == 0


def test_a_task_end_gives_back_the_spares_of_hosts_nobody_fetches_only(prefect_harness):
    """Two batches fetch alongside: when one ends, the host the other is still fetching keeps its
    spare slot (no give-back and take-again), and it goes back once nobody fetches the host."""
    limit = PrefectLimit(limit_name("http://alongside.example/"), 2, 10.0, 60.0)
    registry, key = HostRegistry(4, 2), "http://alongside.example"
    inside, leave = threading.Event(), threading.Event()

    def long_request() -> None:
        with registry.slot(key, 0.0, limit):
            inside.set()
            leave.wait(10)

    other_batch = threading.Thread(target=long_request)
    other_batch.start()
    assert inside.wait(10)
    with registry.slot(key, 0.0, limit):   # this batch's last request to the host
        pass
    registry.release_spares()              # this batch's end
    kept = active_slots(limit.name)
    leave.set()
    other_batch.join()
    registry.release_spares()              # the other batch's end
    assert kept == 2 and active_slots(limit.name) == 0
