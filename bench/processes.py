"""What every benchmark of ``bench/`` needs: timed child processes, the generated site's server, the
``scrapy bench`` yardstick and the machine's load."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PYCACHE = Path(tempfile.gettempdir()) / "aggregator-bench-pycache"


@dataclass
class Process:
    """One finished subprocess: wall time, CPU time and peak resident memory (its own, from ``wait4``)."""

    returncode: int
    wall: float
    cpu: float
    peak_rss_mb: float
    log: str = ""


def child_env() -> dict[str, str]:
    """This environment without proxies (everything is on 127.0.0.1), with bytecode caches on."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    # Start-up as installed software starts: with bytecode caches (kept out of the source tree), even where
    # the environment turns them off (PYTHONDONTWRITEBYTECODE), else every crawl recompiles our modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def start_process(command: list[str], cwd: Path, log_path: Path) -> tuple[subprocess.Popen[bytes], float]:
    with log_path.open("wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=child_env(), stdout=log, stderr=subprocess.STDOUT)
    return child, started


def wait_process(
    child: subprocess.Popen[bytes], started: float, log_path: Path, timeout: float = 1800
) -> Process:
    """Wait for ``child``; its resource use is read with ``wait4`` so that it is this child's alone (the
    children it started, like extraction workers, are not in it: their CPU shows in the crawl's stats)."""
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return Process(
        returncode=child.returncode,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        log=log_path.read_text(encoding="utf-8", errors="replace"),
    )


def run_process(command: list[str], cwd: Path, log_path: Path, timeout: float = 1800) -> Process:
    child, started = start_process(command, cwd, log_path)
    return wait_process(child, started, log_path, timeout)


def scrapy_bench(workdir: Path) -> float:
    """``scrapy bench``'s pages/s, run outside the project so that it uses Scrapy's own defaults."""
    folder = workdir / "scrapy-bench"
    folder.mkdir(exist_ok=True)
    process = run_process([PYTHON, "-m", "scrapy", "bench"], folder, workdir / "scrapy-bench.log")
    pages = re.search(r"'response_received_count': (\d+)", process.log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", process.log)
    if process.returncode != 0 or not pages or not elapsed:
        raise RuntimeError(f"scrapy bench failed:\n{process.log[-3000:]}")
    return int(pages.group(1)) / float(elapsed.group(1))


class Server:
    """``bench/server.py`` serving a generated site (``arguments``) on 127.0.0.1; :meth:`stop` returns its
    CPU seconds, to show it was not the bottleneck."""

    def __init__(self, arguments: list[str], port: int = 0) -> None:
        self.process = subprocess.Popen(
            [PYTHON, str(REPO / "bench" / "server.py"), *arguments, "--port", str(port)],
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.match(r"listening on (\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"the benchmark server did not start: {line!r}")
        self.port = int(match.group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        self.cpu = 0.0

    def stop(self) -> float:
        if self.process.returncode is None:
            self.process.terminate()
            _, _, usage = os.wait4(self.process.pid, 0)
            self.process.returncode = 0
            self.cpu = usage.ru_utime + usage.ru_stime
        return self.cpu


def load() -> str:
    """The load averages (1, 5, 15 min) and core count: figures of a shared machine need them beside."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def ok(met: bool) -> str:
    return "met" if met else "NOT MET"
