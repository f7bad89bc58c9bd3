"""The load benchmark's CPU accounting (bench.load.proc) and its report section."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.load.cpu_report import cpu_section
from bench.load.proc import children, cpu_s, measured

SPIN = "import time\nt = time.process_time()\nwhile time.process_time() - t < {s}: pass\n"


def test_measured_tells_the_waited_client_from_the_server_processes() -> None:
    server = subprocess.Popen([sys.executable, "-c", SPIN.format(s=1.0)])
    try:
        def client() -> int:
            return subprocess.run([sys.executable, "-c", SPIN.format(s=0.4)]).returncode

        code, cpu = measured(client, [server.pid])
    finally:
        server.wait()
    assert code == 0
    # The client burned 0.4 s of CPU and was waited for inside the run: it is the child time.
    assert 0.35 <= cpu["client_s"] <= 1.0
    # The server process spun meanwhile (it runs on the other core, or shares this one).
    assert 0.05 <= cpu["server_s"][0] <= 1.1
    assert 0 < cpu["busy_s"] <= cpu["all_s"]
    assert cpu_s(server.pid) == 0.0  # gone: no longer counted
    assert children(server.pid) == [server.pid]


def _run(rate: float, n: int, client_s: float, server_s: list[float], manifest: bool) -> dict:
    run = {"cpu": {"client_s": client_s, "server_s": server_s, "busy_s": 29.0, "all_s": 30.0}}
    if manifest:
        return {**run, "passengers_per_s": rate, "passenger_latency": {"requests": n}}
    return {**run, "throughput_per_s": rate, "requests": n}


def test_cpu_section_gives_the_per_call_split_and_what_the_targets_leave() -> None:
    results = {
        # floor: 4,000 calls/s, 60,000 calls, 180 + 270 = 450 µs a call
        "echo_check": _run(4000, 60_000, 10.8, [8.1, 8.1], manifest=False),
        # server: store 300 µs, workers 1,200 µs, client 300 µs a call
        "server_check": _run(1000, 15_000, 4.5, [4.5, 9.0, 9.0], manifest=False),
        "echo_manifest": _run(100_000, 1_500_000, 12.0, [7.5, 7.5], manifest=True),
        # 20 µs client, 70 store, 330 workers a passenger
        "server_manifest": _run(5000, 75_000, 1.5, [5.25, 12.375, 12.375], manifest=True),
    }
    text = "\n".join(cpu_section(results, cores=2))
    assert "| server check | 1,000 | 300 | 300 | 1,200 | 1,800 | 97% |" in text
    assert "| echo check | 4,000 | 180 | - | 270 | 450 | 97% |" in text
    # 80% of 4,000 calls/s on 2 cores: 625 µs a call, 175 above the floor's 450
    assert "so 625 µs of CPU per call" in text
    assert "leaves 175 µs" in text
    assert "take 1,350 µs more than the floor's" in text
    # 20,000 passengers/s on 2 cores: 100 µs each; the client takes 20, the server 400
    assert "leaves 100 µs per passenger" in text
    assert "the load generator takes 20, the server now 400" in text


def test_cpu_section_is_empty_for_results_without_cpu_accounting() -> None:
    assert cpu_section({"echo_check": {"throughput_per_s": 1.0, "requests": 1}}) == []


def test_thread_counters_see_a_spinning_thread_of_this_process() -> None:
    import threading
    import time

    from bench.load.proc import thread_counters

    spun = threading.Event()
    done = threading.Event()
    tid: list[int] = []

    def spin() -> None:
        tid.append(threading.get_native_id())
        t = time.thread_time()
        while time.thread_time() - t < 0.3:
            pass
        spun.set()
        done.wait()

    thread = threading.Thread(target=spin)
    before = thread_counters(os.getpid())
    thread.start()
    # Read once the thread has spun its 0.3 s of CPU, however long a busy box takes to give
    # it that (a fixed sleep made this test fail while other processes held the cores).
    assert spun.wait(30)
    after = thread_counters(os.getpid())
    done.set()
    thread.join()
    cpu, switches = after[tid[0]]
    assert tid[0] not in before and 0.25 <= cpu <= 1.0 and switches >= 0


def test_thread_lines_group_numbered_threads_and_divide_by_calls() -> None:
    from bench.load.cpu_split import thread_lines

    diff = {1: (0.4, 20), 2: (0.1, 30), 3: (0.1, 50), 4: (0.05, 5), 5: (0.0, 0)}
    names = {1: "check-batcher", 2: "grpc_0", 3: "grpc_11", 5: "live-changes"}
    lines = thread_lines(diff, names, calls=1000.0, unit="check")
    assert lines[0].endswith("650 µs, 0.1 context switches")
    assert "400 µs" in lines[1] and "check-batcher (1)" in lines[1]
    assert "200 µs" in lines[2] and "grpc threads (2)" in lines[2]
    assert "no Python frame" in lines[3]
    assert len(lines) == 4  # an idle thread is left out
