"""A real ``scrapyd`` (the PyPI package) on 127.0.0.1, started per test module and talked to over HTTP.

Scrapyd reads its configuration from several places (``/etc/scrapyd``, ``scrapyd.conf`` in its working
folder, ``~/.scrapyd.conf``, the closest ``scrapy.cfg``), and every job it starts inherits its environment.
So the server runs in a folder of its own with ``HOME`` pointing there, without ``PYTHONPATH``, proxies or
``SCRAPY_*`` variables: what a job can import is then what the deployed egg carries, the configuration is
only the file written here, and no request is sent through a proxy.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ScrapydError(RuntimeError):
    """Scrapyd did not start, answered an error, or a job did not finish in time."""


def clean_environment(home: Path) -> dict[str, str]:
    """The environment for scrapyd and ``scrapyd-deploy``: ours minus what would leak into their runs.

    ``SCRAPY_*`` variables become settings of every job, ``PYTHONPATH`` would let jobs import the
    working tree instead of the egg, a proxy would take loopback requests elsewhere, and ``HOME`` decides
    which ``~/.scrapyd.conf`` and ``~/.scrapy.cfg`` are read.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.lower().endswith("_proxy") and not name.startswith("SCRAPY") and name != "PYTHONPATH"
    }
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    return env


def free_port() -> int:
    """A port nobody listens on now; scrapyd binds it a moment later (a clash makes ``start`` retry)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScrapydServer:
    """One scrapyd process whose eggs, logs, items and queues all live under ``root``."""

    def __init__(self, root: Path, *, poll_interval: float = 0.1, max_proc: int = 2) -> None:
        self.root = root
        self.poll_interval = poll_interval
        self.max_proc = max_proc
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.eggs_dir = root / "eggs"
        self.logs_dir = root / "logs"
        self.items_dir = root / "items"
        self.dbs_dir = root / "dbs"
        self.server_log = root / "scrapyd.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def write_config(self) -> Path:
        """``scrapyd.conf`` in scrapyd's working folder, the source it reads after the system-wide ones."""
        config = self.root / "scrapyd.conf"
        config.write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            f"eggs_dir = {self.eggs_dir}\n"
            f"logs_dir = {self.logs_dir}\n"
            f"items_dir = {self.items_dir}\n"
            f"dbs_dir = {self.dbs_dir}\n"
            "jobs_to_keep = 5\n"
            f"poll_interval = {self.poll_interval}\n"
            f"max_proc = {self.max_proc}\n"
            "username =\n"
            "password =\n",
            encoding="utf-8",
        )
        return config

    def start(self, timeout: float = 20, attempts: int = 3) -> ScrapydServer:
        """Start scrapyd and return once ``daemonstatus.json`` answers; retry on another port if it dies."""
        self.root.mkdir(parents=True, exist_ok=True)
        for _ in range(attempts):
            self.port = free_port()
            self.write_config()
            with self.server_log.open("wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "scrapyd", "--pidfile", str(self.root / "twistd.pid")],
                    cwd=self.root,
                    env=clean_environment(self.root),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._wait_until_up(timeout):
                return self
        raise ScrapydError(f"scrapyd did not start:\n{self.log()[-3000:]}")

    def _wait_until_up(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self.get("daemonstatus.json").get("status") == "ok":
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        """Scrapyd's own log: process starts and ends of every job, and its HTTP access log."""
        return self.server_log.read_text(encoding="utf-8", errors="replace")

    def fetch(self, path: str, data: list[tuple[str, str]] | None = None) -> bytes:
        """GET (or POST ``data`` form-encoded) ``path`` on this scrapyd; only ever 127.0.0.1."""
        body = urlencode(data).encode() if data is not None else None
        with _NO_PROXY.open(self.url + path.lstrip("/"), data=body, timeout=30) as response:
            return response.read()

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        query = f"?{urlencode(params)}" if params else ""
        return self._checked(endpoint, json.loads(self.fetch(endpoint + query)))

    def post(self, endpoint: str, data: list[tuple[str, str]]) -> dict[str, Any]:
        """POST a form; a list of pairs because ``setting`` may be given many times."""
        return self._checked(endpoint, json.loads(self.fetch(endpoint, data)))

    def _checked(self, endpoint: str, answer: dict[str, Any]) -> dict[str, Any]:
        # Scrapyd answers errors with HTTP 200 and {"status": "error"}: without this a typo passes silently.
        if answer.get("status") != "ok":
            raise ScrapydError(f"{endpoint}: {answer}")
        return answer

    def schedule(self, project: str, spider: str, settings: dict[str, str], **arguments: str) -> str:
        """``schedule.json`` one run; return its job id."""
        data = [("project", project), ("spider", spider)]
        data += [("setting", f"{name}={value}") for name, value in settings.items()]
        data += list(arguments.items())
        return self.post("schedule.json", data)["jobid"]

    def wait_for_job(self, project: str, job: str, timeout: float = 45) -> dict[str, Any]:
        """Poll ``listjobs.json`` until ``job`` is finished; return its entry (with ``log_url``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            finished = self.get("listjobs.json", project=project)["finished"]
            for entry in finished:
                if entry["id"] == job:
                    return entry
            time.sleep(0.2)
        raise ScrapydError(f"job {job} did not finish in {timeout}s:\n{self.log()[-3000:]}")

    def exit_status(self, job: str) -> int:
        """The job's exit status, from scrapyd's own log: ``listjobs.json`` lists failed runs as finished."""
        for line in self.log().splitlines():
            if f"job='{job}'" not in line:
                continue
            if "Process finished:" in line:
                return 0
            died = re.search(r"Process died: exitstatus=(-?\d+)", line)
            if died:
                return int(died.group(1))
        raise ScrapydError(f"no end of job {job} in scrapyd's log:\n{self.log()[-3000:]}")

    def job_log(self, project: str, spider: str, job: str) -> str:
        """The job's Scrapy log, as written to scrapyd's ``logs_dir``."""
        return (self.logs_dir / project / spider / f"{job}.log").read_text(encoding="utf-8")
