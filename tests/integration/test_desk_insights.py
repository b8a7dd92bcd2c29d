"""The insights API on the real servers: leads only, counts of real conversations."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest

from bench.clients import Counsellor, add_counsellor
from bot.commands.serve import Servers
from tests.servers import Chat

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def lead(servers: Servers) -> Counsellor:
    from bench.clients import PASSWORD
    from bot.server.database import make_engine
    from bot.server.handoff.accounts import Accounts

    Accounts(make_engine(servers.database_url), 60).add("liv", "Liv", PASSWORD, role="lead")
    client = Counsellor(servers)
    assert client.log_in("liv")[0] == 200
    return client


@pytest.fixture(scope="module")
def counsellor(servers: Servers) -> Counsellor:
    add_counsellor(servers, "ola-insights", "Ola")
    client = Counsellor(servers)
    assert client.log_in("ola-insights")[0] == 200
    return client


def test_only_a_lead_sees_the_insights(servers: Servers, lead: Counsellor,
                                       counsellor: Counsellor) -> None:
    assert Counsellor(servers).call("GET", "/desk/api/insights")[0] == 401
    status, body = counsellor.call("GET", "/desk/api/insights?days=7")
    assert (status, body["error"]) == (403, "leads_only")
    status, me = lead.call("GET", "/desk/api/me")
    assert me["counsellor"]["role"] == "lead"
    for bad in ("0", "367", "sju", "7.5", "-1", "٣"):
        assert lead.call("GET", f"/desk/api/insights?days={quote(bad)}")[0] == 400, bad


async def test_a_handoff_and_an_answer_are_counted(chat: Chat, lead: Counsellor,
                                                   counsellor: Counsellor) -> None:
    _, before = lead.call("GET", "/desk/api/insights?days=7")
    desk = await counsellor.socket()  # a counsellor online: the handoff opens a case
    try:
        await asyncio.to_thread(chat.send, "insights-alone",
                                "Når er fristen for å søke høyere utdanning?")
        await asyncio.to_thread(chat.send, "insights-handoff", "jeg vil snakke med en rådgiver")
    finally:
        await desk.close()

    status, after = lead.call("GET", "/desk/api/insights?days=7")
    assert status == 200
    assert after["conversations"] == before["conversations"] + 2
    assert after["contained_conversations"] == before["contained_conversations"] + 1
    assert after["handoffs"]["asked"] == before["handoffs"]["asked"] + 1
    assert 0 <= after["contained"] <= 1
    topics = {row["key"] for row in after["by_topic"]}
    assert "ask_higher_education_deadline" in topics
    assert {row["key"] for row in after["by_channel"]} >= {"rest"}
    assert sum(after["by_hour"]) == after["conversations"]
    # Counts only: no conversation id and no text of what was said anywhere in the answer.
    text = str(after)
    assert "insights-alone" not in text and "fristen" not in text


def metrics_page(servers: Servers, token: str | None) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(f"{servers.rasa_url}/ops/metrics", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as refused:
        refused.close()
        return refused.code, ""


def sample(page: str, series: str) -> float:
    found = [line.split()[-1] for line in page.splitlines() if line.startswith(series + " ")]
    return float(found[0]) if found else 0.0


def test_operators_read_counts_with_the_token_only(servers: Servers, chat: Chat) -> None:
    assert metrics_page(servers, None)[0] == 401
    assert metrics_page(servers, "wrong")[0] == 401
    _, before = metrics_page(servers, servers.api_token)
    chat.send("insights-metrics", "Når er fristen for å søke høyere utdanning?")
    status, after = metrics_page(servers, servers.api_token)
    assert status == 200
    rest = 'veivalg_messages_total{channel="rest"}'
    assert sample(after, rest) == sample(before, rest) + 1
    replies = "veivalg_reply_seconds_count"
    assert sample(after, replies) > sample(before, replies)
    assert "veivalg_queue_length " in after and "veivalg_counsellors_online " in after
    assert "insights-metrics" not in after


def test_the_page_and_its_chart_library_come_from_the_desk_under_its_policy(
        servers: Servers) -> None:
    import urllib.request

    from bot.server.channels.security_headers import PAGE_POLICY

    with urllib.request.urlopen(f"{servers.rasa_url}/desk/insights/", timeout=30) as page:
        html = page.read().decode()
        assert page.headers["Content-Security-Policy"] == PAGE_POLICY
    assert 'src="../vendor/chart.umd.min.js"' in html and "http" not in html.split("<body")[0]
    with urllib.request.urlopen(f"{servers.rasa_url}/desk/vendor/chart.umd.min.js",
                                timeout=30) as script:
        assert script.headers["Content-Type"].startswith("application/javascript")
        assert script.headers["X-Content-Type-Options"] == "nosniff"
        assert b"Chart.js v4.5.1" in script.read(200)
