"""The desk names what a case is about in Norwegian (issue 14), not `career_centre`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.clients import PASSWORD, add_counsellor
from bot.commands.serve import Servers
from tests.browser.conftest import open_chat, send, wait_bot_messages


@pytest.fixture
def desk(browser: Browser, servers: Servers) -> Iterator[Page]:
    add_counsellor(servers, "tor", "Tor")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{servers.rasa_url}/desk/")
    page.fill("#desk-login", "tor")
    page.fill("#desk-password", PASSWORD)
    page.click("#desk-login-form button[type=submit]")
    expect(page.locator("#desk-me")).to_contain_text("Tor")
    yield page
    context.close()


def test_a_career_centre_case_is_called_karrieresenter(page: Page, desk: Page,
                                                       servers: Servers) -> None:
    open_chat(page, servers)
    send(page, "finnes det et karrieresenter i Alta?")
    assert "Karriere Finnmark" in wait_bot_messages(page, 1)[-1]
    send(page, "jeg vil snakke med en rådgiver")
    assert "i køen" in wait_bot_messages(page, 2)[-1]
    case = desk.locator("#desk-queue li.desk-case").last
    expect(case.locator(".desk-case-topic")).to_have_text("Karrieresenter")
    case.locator("button").first.click()
    expect(desk.locator("#desk-summary")).to_contain_text("Tema: Karrieresenter.")
    expect(desk.locator("body")).not_to_contain_text("career")
    desk.click("#desk-take")
    desk.click("#desk-close")
    desk.click("#desk-close-confirm")
