"""Plain Rasa commands work in the repository (#16): `rasa run actions` and `rasa run` with
the repository's own files, no make and none of Veivalg's start-up code, answer a question
through a custom action. Only the port differs from endpoints.yml (5055 may be taken by a
`make run` on the same machine), and the database is the test's own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.commands.serve import answers, free_ports
from bot.shared.settings import PROJECT_DIR
from tests.waiting import wait_until

pytestmark = pytest.mark.integration
RASA = PROJECT_DIR / ".venv" / "bin" / "rasa"
MODEL = PROJECT_DIR / "models" / "veivalg.tar.gz"


@pytest.fixture
def plain_rasa(tmp_path: Path) -> Iterator[str]:
    if not MODEL.exists():
        pytest.fail("models/veivalg.tar.gz is missing: run `make model` first")
    rasa_port, action_port = free_ports(2)
    endpoints = yaml.safe_load((PROJECT_DIR / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    (tmp_path / "endpoints.yml").write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("VEIVALG_")}
    env["VEIVALG_DATABASE_URL"] = f"sqlite:///{tmp_path / 'plain.db'}"
    log = (tmp_path / "servers.log").open("w")
    processes = [
        subprocess.Popen([str(RASA), "run", "actions", "--actions", "actions",
                          "--port", str(action_port)],
                         cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True),
        subprocess.Popen([str(RASA), "run", "--model", str(MODEL), "--port", str(rasa_port),
                          "--interface", "127.0.0.1", "--endpoints",
                          str(tmp_path / "endpoints.yml"), "--credentials", "credentials.yml"],
                         cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True),
    ]
    try:
        base = f"http://127.0.0.1:{rasa_port}"
        wait_until(lambda: answers(f"http://127.0.0.1:{action_port}/health")
                   and answers(base + "/"), timeout=240, what="plain rasa servers up")
        yield base
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        log.close()


def test_plain_rasa_answers_through_a_custom_action(plain_rasa: str) -> None:
    body = json.dumps({"sender": "vanlig-rasa-test",
                       "message": "Når er søknadsfristen for samordna opptak?"}).encode()
    request = urllib.request.Request(plain_rasa + "/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    texts = " ".join(reply.get("text", "") for reply in replies)
    # The answer comes from action_answer_question, with its source.
    assert "samordnaopptak.no" in texts or "Kilde" in texts, texts
    assert "gikk galt" not in texts
