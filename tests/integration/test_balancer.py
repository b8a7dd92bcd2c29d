"""nginx in front of the replicas, from deploy/nginx.conf.template as bot/commands/cluster.py
fills it.

The scale-out setup relies on nginx spreading requests round robin over the replicas and
passing a stopped replica's requests to the others. Which replica answered cannot be told
from a Rasa reply, so two small HTTP servers that name themselves stand in for the
replicas; nginx, its configuration and Cluster.start_balancer are the real ones. This
needs neither PostgreSQL nor Redis, so it runs with the other integration tests.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.commands.cluster import Cluster
from bot.commands.serve import Servers, free_port

pytestmark = pytest.mark.integration


class Replica:
    """An HTTP server on loopback that answers every GET with its own name."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.port = free_port()
        body = name.encode()

        class Answer(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                # What nginx told the replica, for the tests to see.
                for header in ("Host", "X-Forwarded-Proto", "X-Forwarded-For"):
                    self.send_header(f"X-Seen-{header}", self.headers.get(header, ""))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass  # quiet test output

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Answer)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def replicas() -> Iterator[list[Replica]]:
    started = [Replica("replica-1"), Replica("replica-2")]
    yield started
    for replica in started:
        if replica.thread.is_alive():
            replica.stop()


@pytest.fixture
def balancer(tmp_path: Path, replicas: list[Replica]) -> Iterator[Cluster]:
    cluster = Cluster(database_url="", redis_url="", api_token="", state_dir=tmp_path,
                      balancer_port=free_port())
    cluster.servers = [Servers(rasa_port=replica.port, action_port=0, api_token="",
                               database_url="") for replica in replicas]
    cluster.start_balancer()
    if cluster.balancer is None:
        pytest.fail("nginx is not installed: `make test` installs it")
    try:
        deadline = time.monotonic() + 10
        while answered_by(cluster) is None:
            if time.monotonic() > deadline or cluster.balancer.poll() is not None:
                pytest.fail(f"nginx did not start: {(tmp_path / 'nginx-error.log').read_text()}")
            time.sleep(0.1)
        yield cluster
    finally:
        cluster.stop()


def answered_by(cluster: Cluster) -> str | None:
    try:
        with urllib.request.urlopen(f"{cluster.url}/ops/health", timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def test_requests_are_spread_round_robin_over_the_replicas(balancer: Cluster) -> None:
    answered = [answered_by(balancer) for _ in range(8)]
    assert Counter(answered) == {"replica-1": 4, "replica-2": 4}
    # Round robin: the replicas take turns, whichever one had the previous request.
    assert all(this != following for this, following in zip(answered, answered[1:], strict=False))


def test_a_stopped_replicas_requests_go_to_the_other(balancer: Cluster,
                                                     replicas: list[Replica]) -> None:
    replicas[1].stop()
    assert [answered_by(balancer) for _ in range(6)] == ["replica-1"] * 6


def fetch(cluster: Cluster, path: str, base: str | None = None) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(f"{base or cluster.url}{path}", timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as refused:
        refused.close()
        return refused.code, "", {}


def test_only_the_chat_the_webhooks_and_the_desk_are_proxied(balancer: Cluster) -> None:
    for path in ("/chat", "/chat/", "/chat/widget.js", "/chat/socket", "/webhooks/rest/",
                 "/webhooks/telegram/webhook", "/desk", "/desk/", "/desk/api/me",
                 "/desk/socket", "/ops/health"):
        status, body, _ = fetch(balancer, path)
        assert (status, body.startswith("replica-")) == (200, True), path
    # Rasa's HTTP API and the desk's internal API: for operators and the action server.
    for path in ("/", "/status", "/version", "/domain", "/conversations/x/tracker?token=t",
                 "/model/parse", "/desk/internal/opening-hours", "/ops/ready", "/chatty",
                 "/desktop"):
        assert fetch(balancer, path)[0] == 404, path


def test_the_replicas_learn_the_host_with_its_port_and_the_scheme(balancer: Cluster) -> None:
    _, _, headers = fetch(balancer, "/desk/")
    assert headers["X-Seen-Host"] == f"127.0.0.1:{balancer.balancer_port}"  # as Origin says it
    assert headers["X-Seen-X-Forwarded-Proto"] == "http"
    assert headers["X-Seen-X-Forwarded-For"] == "127.0.0.1"


# The action server's own listener (issue 16): the desk's internal API and /model/parse on
# every replica, so that it needs no one replica in particular.
INTERNAL = ("/desk/internal/opening-hours", "/desk/internal/cases", "/model/parse")


def test_the_action_servers_listener_passes_the_internal_api_and_parse_only(
        balancer: Cluster) -> None:
    for path in (*INTERNAL, "/ops/health"):
        status, body, _ = fetch(balancer, path, balancer.internal_url)
        assert (status, body.startswith("replica-")) == (200, True), path
    for path in ("/", "/status", "/conversations/x/tracker?token=t", "/model/train",
                 "/model/parser", "/chat/", "/webhooks/rest/", "/desk/", "/desk/api/me"):
        assert fetch(balancer, path, balancer.internal_url)[0] == 404, path


def test_the_action_servers_listener_spreads_and_passes_a_stopped_replicas_calls_on(
        balancer: Cluster, replicas: list[Replica]) -> None:
    def answered(path: str) -> str:
        return fetch(balancer, path, balancer.internal_url)[1]

    assert Counter(answered(INTERNAL[n % 3]) for n in range(6)) == {"replica-1": 3,
                                                                    "replica-2": 3}
    replicas[0].stop()
    assert [answered(INTERNAL[n % 3]) for n in range(6)] == ["replica-2"] * 6


def test_every_listener_is_on_loopback(balancer: Cluster) -> None:
    config = (balancer.state_dir / "nginx.conf").read_text()
    listens = [line.split()[1] for line in config.splitlines()
               if line.strip().startswith("listen ")]
    assert listens == [f"127.0.0.1:{balancer.balancer_port};",
                       f"127.0.0.1:{balancer.internal_port};"]
