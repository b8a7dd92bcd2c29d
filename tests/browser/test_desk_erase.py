"""A counsellor erases a conversation from the desk on the person's request (#12)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Dialog, Page, expect

from bench.clients import PASSWORD, add_counsellor
from bot.commands.serve import Servers
from tests.browser.conftest import axe_violations, open_chat, send, wait_bot_messages


@pytest.fixture(scope="module")
def counsellor_login(servers: Servers) -> str:
    add_counsellor(servers, "turid", "Turid")
    return "turid"


@pytest.fixture
def desk(browser: Browser, servers: Servers) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{servers.rasa_url}/desk/")
    yield page
    context.close()


def sender_of(servers: Servers, case_id: str) -> str:
    engine = sa.create_engine(servers.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT sender_id FROM desk_cases WHERE id = :id"),
                                {"id": int(case_id)}).scalar()
    finally:
        engine.dispose()


def events_of(servers: Servers, sender: str) -> int:
    engine = sa.create_engine(servers.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"),
                                {"s": sender}).scalar()
    finally:
        engine.dispose()


def test_erase_asks_first_then_the_conversation_is_gone(
    page: Page, desk: Page, servers: Servers, counsellor_login: str
) -> None:
    desk.fill("#desk-login", counsellor_login)
    desk.fill("#desk-password", PASSWORD)
    desk.click("#desk-login-form button[type=submit]")
    expect(desk.locator("#desk-me")).to_contain_text("Turid")
    expect(desk.locator("#desk-status")).not_to_contain_text("Kobler")

    open_chat(page, servers)
    send(page, "Hvordan søker jeg læreplass?")
    wait_bot_messages(page, 1)
    send(page, "jeg vil snakke med en rådgiver")
    assert "i køen" in wait_bot_messages(page, 2)[-1]

    case = desk.locator("#desk-queue li.desk-case").last
    case.locator("button").first.click()
    view = desk.locator("#desk-case")
    expect(view).to_have_attribute("data-case-id", re.compile(r"^\d+$"))
    case_id = view.get_attribute("data-case-id")
    sender = sender_of(servers, case_id)
    assert events_of(servers, sender) > 0
    assert axe_violations(desk) == []

    asked: list[str] = []
    erasing: list[str] = []
    desk.on("request", lambda request: erasing.append(request.url)
            if request.url.endswith("/erase") else None)

    def cancel(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    desk.once("dialog", cancel)
    desk.click("#desk-erase")
    assert asked and "kan ikke angres" in asked[0]
    desk.wait_for_timeout(500)  # time for a request that must not be made
    assert erasing == []  # cancelled: nothing was asked of the server
    expect(view).to_be_visible()
    assert events_of(servers, sender) > 0

    desk.once("dialog", lambda dialog: dialog.accept())
    desk.click("#desk-erase")
    expect(view).to_be_hidden()
    expect(desk.locator(f'.desk-case[data-case-id="{case_id}"]')).to_have_count(0)
    expect(desk.locator("#desk-announce")).to_contain_text("slettet")
    assert events_of(servers, sender) == 0
