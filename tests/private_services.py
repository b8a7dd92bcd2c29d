"""PostgreSQL and Redis servers of the tests' own, in temporary directories on free ports.

The cluster tests stop and restart these servers; the machine's own PostgreSQL (5432) and
Redis (6379) belong to whoever else works on it and are never touched. Each server is
thrown away with its directory at the end of the session, so no test has to empty one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import psycopg2
import pytest
import redis

from bot.commands.serve import free_port

START_SECONDS = 60
# Throwaway data: durability costs time and proves nothing here. A clean restart
# (pg_ctl's fast mode) still writes everything out, so "nothing acknowledged is lost"
# keeps its meaning.
POSTGRES_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "max_connections": "100",
}


def _postgres_bin() -> Path:
    """Debian keeps initdb and pg_ctl off the PATH, one directory per major version."""
    versions = Path("/usr/lib/postgresql")
    if versions.is_dir():
        numbered = [p for p in versions.iterdir() if p.name.isdigit()]
        if numbered:
            return max(numbered, key=lambda p: int(p.name)) / "bin"
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl): "
                           "apt-get install postgresql")
    return Path(initdb).parent


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) \
        if path.exists() else f"({path} was not written)"


class PrivatePostgres:
    """A PostgreSQL server in a temporary directory: trust authentication, loopback only,
    its unix socket in that directory."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.directory = Path(tempfile.mkdtemp(prefix="veivalg-postgres-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = free_port()
        # initdb refuses to run as root (the server must not own the machine), so as root
        # the binaries run as the `postgres` user, who then owns the directory.
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._initialised = False

    def _run(self, program: str, *args: str) -> None:
        command = [*self.as_owner, str(self.bin / program), *args]
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=START_SECONDS + 30)
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}\n{_tail(self.log)}")

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._run("pg_ctl", action, "-D", str(self.data), "-w", "-t", str(START_SECONDS),
                  *args)

    def start(self) -> None:
        if not self._initialised:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C.UTF-8")
            settings = {**POSTGRES_SETTINGS, "port": str(self.port),
                        "unix_socket_directories": f"'{self.directory}'"}
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
            self._initialised = True
        self._pg_ctl("start", "-l", str(self.log))

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        """Stop (closing every connection) and start again, on the same port."""
        self._pg_ctl("restart", "-m", "fast", "-l", str(self.log))

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start_time(self) -> dt.datetime:
        """When the server process started: a restart changes it, nothing else does."""
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres",
                                      dbname="postgres", connect_timeout=10)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_postmaster_start_time()")
                return cursor.fetchone()[0]
        finally:
            connection.close()


class PrivateRedis:
    """A Redis server in a temporary directory on a free loopback port, keeping nothing
    on disk."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="veivalg-redis-"))
        self.log = self.directory / "redis.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        program = shutil.which("redis-server")
        if program is None:
            raise RuntimeError("no redis-server: apt-get install redis-server")
        self.process = subprocess.Popen(
            [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory), "--logfile", str(self.log),
             "--daemonize", "no"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited ({self.process.returncode}):\n"
                                   f"{_tail(self.log)}")
            if self.run_id() is not None:
                return
            time.sleep(0.05)  # a poll interval: Redis has no "ready" notification for us
        self.stop()
        raise RuntimeError(f"redis-server not answering after {START_SECONDS} s:\n"
                           f"{_tail(self.log)}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis closes every client and exits
            try:
                self.process.wait(START_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        """Stop (closing every connection) and start a new server on the same port."""
        self.stop()
        self.start()

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def client(self, database: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=database, socket_timeout=5)

    def run_id(self) -> str | None:
        """The server's run id, new with every start; None while nothing answers."""
        client = self.client()
        try:
            return str(client.info("server")["run_id"])
        except redis.ConnectionError:
            return None
        finally:
            client.close()


class Disposable(Protocol):
    def start(self) -> object: ...
    def stop(self) -> object: ...
    def remove(self) -> object: ...


Server = TypeVar("Server", bound=Disposable)


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    """``server`` started, then stopped and its directory removed, also when starting
    or a test failed: no server outlives its fixture."""
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server.remove()


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    with running(PrivatePostgres()) as server:
        yield server


@pytest.fixture(scope="session")
def private_redis() -> Iterator[PrivateRedis]:
    with running(PrivateRedis()) as server:
        yield server
