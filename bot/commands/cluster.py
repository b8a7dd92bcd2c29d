"""Several Rasa servers on PostgreSQL and Redis, as in production, on one machine.

`make run-cluster` runs ``python -m bot.commands.cluster``: one action server, two Rasa replicas
with deploy/endpoints.yml (PostgreSQL conversations and desk tables, Redis locks, Redis
delivery and desk events), and nginx in front of them when it is installed. The cluster
tests use :class:`Cluster` to start the same thing.

A process that dies (a replica killed with ``kill -9``, say) is started again on its port
after a back-off (:class:`Supervisor`), with a line on stderr, while the others go on
answering: that is what replicas are for. nginx sends new requests to the replicas that
answer meanwhile.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import string
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.commands.serve import (
    Servers,
    api_token_from_state,
    free_port,
    free_ports,
    ignore_signals,
    stop_on_signals,
)
from bot.server.migrations import upgrade
from bot.server.nlp.embedding_threads import THREADS_VARIABLE
from bot.shared.settings import PROJECT_DIR, STATE_DIR

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/veivalg"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# Seconds before restarting a process that died: 1 s after a first death, doubling after
# each death within STABLE_SECONDS of its last start, so that a process that cannot start
# (a port taken, a broken setting) is retried every minute rather than in a tight loop.
RESTART_DELAYS = (1, 2, 4, 8, 16, 32, 60)
STABLE_SECONDS = 60


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database if it does not exist yet."""
    import psycopg2

    parsed = make_url(url)
    connection = psycopg2.connect(host=parsed.host, port=parsed.port or 5432,
                                  user=parsed.username, password=parsed.password,
                                  dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        connection.close()


def find_nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                     else None)


@dataclass
class Cluster:
    database_url: str
    redis_url: str
    api_token: str
    replicas: int = 2
    state_dir: Path = STATE_DIR / "cluster"
    env: dict[str, str] = field(default_factory=dict)
    with_balancer: bool = True
    servers: list[Servers] = field(default_factory=list)
    balancer: subprocess.Popen | None = None
    balancer_port: int | None = None
    # nginx's loopback listener for the action server: the desk's internal API and
    # /model/parse on whichever replica answers (deploy/nginx.conf.template).
    internal_port: int | None = None
    # One action server for every replica: they all show it this secret.
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def _env(self, action_port: int, desk_url: str) -> dict[str, str]:
        redis = make_url(self.redis_url)
        return {
            "VEIVALG_REDIS_URL": self.redis_url,
            "VEIVALG_REDIS_HOST": redis.host or "127.0.0.1",
            "VEIVALG_REDIS_PORT": str(redis.port or 6379),
            "VEIVALG_REDIS_LOCK_DB": os.environ.get("VEIVALG_REDIS_LOCK_DB", "1"),
            "VEIVALG_REDIS_PASSWORD": redis.password or "",
            "VEIVALG_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
            "VEIVALG_RASA_URL": desk_url,
            "VEIVALG_ACTION_TOKEN": self.action_token,
            # Replicas on one machine cannot see each other's embeddings: two of them each
            # taking two cores for one (bot/server/nlp/embedding_threads.py) starved both.
            **({THREADS_VARIABLE: "1"} if self.replicas > 1 else {}),
            **self.env,
        }

    def start(self, timeout: float = 240) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        ensure_database(self.database_url)
        upgrade(self.database_url)  # the desk's tables, by migration, before any replica
        ports = free_ports(self.replicas + 3)
        action_port, rasa_ports = ports[0], ports[1:-2]
        self.balancer_port, self.internal_port = ports[-2:]
        # Without nginx the action server has replica 1 only.
        balanced = self.with_balancer and find_nginx() is not None
        desk_url = f"http://127.0.0.1:{self.internal_port if balanced else rasa_ports[0]}"
        try:
            for number, port in enumerate(rasa_ports):
                replica = Servers(
                    rasa_port=port, action_port=action_port, api_token=self.api_token,
                    database_url=self.database_url, endpoints="deploy/endpoints.yml",
                    log_path=self.state_dir / f"replica-{number + 1}.log",
                    env=self._env(action_port, desk_url),
                )
                if number == 0:
                    replica.start_actions()
                replica.start_rasa()
                self.servers.append(replica)
            deadline = time.monotonic() + timeout
            for replica in self.servers:
                replica.wait_ready(max(1.0, deadline - time.monotonic()))
            if self.with_balancer:
                self.start_balancer()
        except BaseException:
            self.stop()
            raise

    def start_balancer(self) -> None:
        nginx = find_nginx()
        if nginx is None:
            return
        if self.internal_port is None:
            self.internal_port = free_port()
        upstreams = "\n".join(f"    server 127.0.0.1:{r.rasa_port};" for r in self.servers)
        template = string.Template((PROJECT_DIR / "deploy" / "nginx.conf.template").read_text())
        config = self.state_dir / "nginx.conf"
        config.write_text(template.safe_substitute(
            STATE_DIR=self.state_dir, UPSTREAMS=upstreams, LISTEN_PORT=self.balancer_port,
            INTERNAL_PORT=self.internal_port))
        self.balancer = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"],
                                         start_new_session=True)

    @property
    def internal_url(self) -> str:
        """Where the action server reaches the replicas."""
        if self.balancer is not None:
            return f"http://127.0.0.1:{self.internal_port}"
        return self.servers[0].rasa_url

    @property
    def url(self) -> str:
        if self.balancer is not None:
            return f"http://127.0.0.1:{self.balancer_port}"
        return self.servers[0].rasa_url

    def stop(self) -> None:
        if self.balancer is not None and self.balancer.poll() is None:
            self.balancer.terminate()
            self.balancer.wait(10)
        for replica in reversed(self.servers):
            replica.stop()

    def watched(self) -> list[Watched]:
        """Every process of the cluster, for :class:`Supervisor` to restart."""
        processes = [
            Watched(f"Rasa replica {number} (port {replica.rasa_port})",
                    lambda r=replica: r.processes.get("rasa"), replica.start_rasa,
                    replica.rasa_ready)
            for number, replica in enumerate(self.servers, start=1)
        ]
        if self.servers:
            first = self.servers[0]
            processes.append(Watched(f"action server (port {first.action_port})",
                                     lambda: first.processes.get("actions"),
                                     first.start_actions, first.actions_ready))
        if self.balancer is not None:
            processes.append(Watched(f"nginx (port {self.balancer_port})",
                                     lambda: self.balancer, self.start_balancer,
                                     lambda: True))
        return processes

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


def log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


@dataclass
class Watched:
    """One process of the cluster: how to find it, start it again, and see it answer."""

    name: str
    process: Callable[[], subprocess.Popen | None]
    restart: Callable[[], None]
    ready: Callable[[], bool]
    deaths: int = 0  # in a row, each within STABLE_SECONDS of the start before it
    started: float = field(default_factory=time.monotonic)
    restart_at: float | None = None  # dead, to be started again then
    starting: bool = False  # started again, not answering yet


@dataclass
class Supervisor:
    """Starts again, after a back-off, each watched process that stops."""

    watched: list[Watched]
    clock: Callable[[], float] = time.monotonic
    say: Callable[[str], None] = log

    def check(self) -> None:
        """One look at every process; never blocks for long (a readiness check of a
        restarting process takes 2 s at most)."""
        now = self.clock()
        for item in self.watched:
            if item.restart_at is not None:
                if now >= item.restart_at:
                    item.restart_at = None
                    item.starting = True
                    item.started = now
                    try:
                        item.restart()
                    except OSError as error:
                        self._died(item, f"could not be started ({error})", now)
                continue
            process = item.process()
            if process is None or process.poll() is None:
                if item.starting and process is not None and item.ready():
                    item.starting = False
                    self.say(f"{item.name} is back after {now - item.started:.1f} s.")
                continue
            self._died(item, how_it_ended(process.returncode), now)

    def _died(self, item: Watched, how: str, now: float) -> None:
        if now - item.started >= STABLE_SECONDS and not item.starting:
            item.deaths = 0
        delay = RESTART_DELAYS[min(item.deaths, len(RESTART_DELAYS) - 1)]
        item.deaths += 1
        item.starting = False
        item.restart_at = now + delay
        self.say(f"{item.name} stopped unexpectedly ({how}); starting it again in {delay} s "
                 f"(restart {item.deaths} in a row). The other processes go on answering.")

    def run(self, interval: float = 0.5) -> None:
        """Watch until interrupted (Ctrl-C or SIGTERM through stop_on_signals)."""
        while True:
            self.check()
            time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.commands.cluster",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR / "cluster",
                        help="logs and nginx's files (default: var/cluster)")
    arguments = parser.parse_args(argv)
    cluster = Cluster(
        database_url=os.environ.get("VEIVALG_DATABASE_URL") or DEFAULT_DATABASE_URL,
        redis_url=os.environ.get("VEIVALG_REDIS_URL") or DEFAULT_REDIS_URL,
        api_token=os.environ.get("VEIVALG_API_TOKEN") or api_token_from_state(),
        state_dir=arguments.state_dir,
    )
    stop_on_signals()
    try:
        cluster.start()
        print("\nVeivalg cluster is ready.")
        for number, replica in enumerate(cluster.servers, start=1):
            print(f"  Rasa replica {number}   {replica.rasa_url}/")
        print(f"  Load balancer    {cluster.url}/  (web chat {cluster.url}/chat/, "
              f"desk {cluster.url}/desk/)" if cluster.balancer else
              "  Load balancer    none: install nginx (apt-get install nginx) for one")
        if cluster.balancer:
            print(f"  Internal API     {cluster.internal_url}/  (the action server's way "
                  "to the desk and /model/parse, loopback only)")
        print(f"  Conversations    {cluster.database_url}\n  Redis            "
              f"{cluster.redis_url}\n  Logs             {cluster.state_dir}\n"
              "A process that stops is started again. Press Ctrl-C to stop.", flush=True)
        Supervisor(cluster.watched()).run()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        ignore_signals()
        cluster.stop()
        print("Cluster stopped.", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
