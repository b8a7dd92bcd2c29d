"""A counsellor's reply that Telegram does not take: the desk says "Ikke levert" and why,
at once and after a reload (issue #16). Real servers, a fake Bot API, a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.clients import add_counsellor
from bench.fake_telegram import SECRET, TOKEN, FakeTelegram, text_update
from bot.commands.serve import Servers
from tests.browser.conftest import axe_violations
from tests.browser.test_content_security import RECORD_VIOLATIONS
from tests.browser.test_desk import log_in
from tests.integration.test_telegram import post_update
from tests.servers import start_servers

CHAT = 2001
REPLY = "Hei, jeg heter Liv. Hva lurer du på?"


@pytest.fixture(scope="module")
def tg_servers(tmp_path_factory: pytest.TempPathFactory,
               telegram: FakeTelegram) -> Iterator[Servers]:
    state = tmp_path_factory.mktemp("undelivered")
    servers = start_servers(state / "conversations.db", state / "servers.log", env={
        "VEIVALG_TELEGRAM_TOKEN": TOKEN, "VEIVALG_TELEGRAM_SECRET": SECRET,
        "VEIVALG_TELEGRAM_API_URL": telegram.url,
    })
    add_counsellor(servers, "liv", "Liv")
    yield servers
    servers.stop()


@pytest.fixture
def desk(browser: Browser, tg_servers: Servers) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto(f"{tg_servers.rasa_url}/desk/")
    yield page
    context.close()


def test_a_reply_the_person_never_got_says_so(desk: Page, tg_servers: Servers,
                                              telegram: FakeTelegram) -> None:
    log_in(desk, "liv")
    expect(desk.locator("#desk-status")).to_contain_text("Tilkoblet")
    assert post_update(tg_servers, text_update(CHAT, "jeg vil snakke med en rådgiver")) == 200
    desk.locator("#desk-queue li.desk-case").last.locator("button").first.click()
    desk.click("#desk-take")
    telegram.wait_for(lambda c: c.method == "sendMessage"
                      and str(c.payload["chat_id"]) == str(CHAT)
                      and "Rådgiver Liv har kommet inn" in c.payload["text"])

    telegram.fail_next(403, description="Forbidden: bot was blocked by the user",
                       method="sendMessage")
    desk.fill("#desk-reply", REPLY)
    desk.press("#desk-reply", "Enter")

    failed = desk.locator('#desk-transcript .desk-msg[data-from="counsellor"]'
                          '[data-delivery="failed"]')
    expect(failed).to_contain_text(REPLY)  # the text stays in the conversation
    expect(failed.locator(".desk-msg-flag")).to_have_text("Ikke levert")
    expect(failed.locator(".desk-undelivered")).to_contain_text("blokkert Veivalg")
    expect(failed.locator(".desk-undelivered")).to_contain_text("bot was blocked by the user")
    expect(desk.locator("#desk-alert")).to_contain_text("Ikke levert")  # role=alert: read out
    assert axe_violations(desk) == []
    assert desk.evaluate("window.__violations") == []  # drawn within the page's CSP

    desk.reload()
    desk.locator("#desk-mine li.desk-case").last.locator("button").first.click()
    expect(failed).to_contain_text(REPLY)
    expect(failed.locator(".desk-undelivered")).to_contain_text("blokkert Veivalg")
    desk.click("#desk-close")
    desk.click("#desk-close-confirm")
