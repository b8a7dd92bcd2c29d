"""The chat demo page and the desk under their Content-Security-Policy in a real Chromium:
the policy is sent, the pages work within it (no violation reported), nobody can frame
the desk, and a paused login says how long to wait."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.clients import add_counsellor
from bot.commands.serve import Servers
from tests.browser.conftest import axe_violations, open_chat, send, wait_bot_messages
from tests.browser.test_desk import log_in

# Every violation the page reports, from the page's own point of view.
RECORD_VIOLATIONS = """
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
"""


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page that records CSP violations, both as events and as console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page, console
    context.close()


def violations(page: Page, console: list[str]) -> list[str]:
    return page.evaluate("window.__violations") + console


def test_the_chat_page_works_within_its_policy(watched: tuple[Page, list[str]],
                                               servers: Servers) -> None:
    page, console = watched
    policy = page.request.get(f"{servers.rasa_url}/chat/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

    open_chat(page, servers)  # the widget's script, stylesheet and socket
    send(page, "Når er fristen for å søke på Samordna opptak?")
    wait_bot_messages(page, 1)
    page.reload()  # the conversation comes back, within the policy too
    wait_bot_messages(page, 1)
    # The demo page's own style (demo.css, no longer inline) applies.
    assert page.eval_on_selector("h1", "h => getComputedStyle(h).color") == "rgb(29, 58, 110)"
    assert violations(page, console) == []


def test_the_desk_works_within_its_policy(watched: tuple[Page, list[str]],
                                          servers: Servers) -> None:
    add_counsellor(servers, "csp", "Cecilie")
    page, console = watched
    reply = page.goto(f"{servers.rasa_url}/desk/")
    assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]

    log_in(page, "csp")
    expect(page.locator("#desk-me")).to_contain_text("Cecilie")
    expect(page.locator("#desk-status")).to_contain_text("Tilkoblet")  # the socket is up
    assert axe_violations(page) == []
    assert violations(page, console) == []


def test_no_page_can_frame_the_desk(watched: tuple[Page, list[str]], servers: Servers) -> None:
    page, console = watched
    page.set_content(f'<iframe src="{servers.rasa_url}/desk/" title="desk"></iframe>')
    for _ in range(100):  # the refusal is reported on the console, when it comes
        if any("frame-ancestors" in text for text in console):
            break
        page.wait_for_timeout(100)
    assert any("frame-ancestors" in text for text in console), console
    assert page.frames[1].locator("#desk-login").count() == 0  # nothing of the desk shown


def test_a_paused_login_says_how_long_to_wait(watched: tuple[Page, list[str]],
                                              servers: Servers) -> None:
    page, _ = watched
    page.goto(f"{servers.rasa_url}/desk/")
    for _ in range(5):  # VEIVALG_DESK_LOGIN_ATTEMPTS
        log_in(page, "gjetter", "feil-passord-her")
        expect(page.locator("#desk-login-error")).to_contain_text("Feil brukernavn eller passord")
        page.locator("#desk-login-error").evaluate("e => { e.textContent = ''; }")
    log_in(page, "gjetter", "feil-passord-her")
    expect(page.locator("#desk-login-error")).to_have_text(
        re.compile(r"For mange mislykkede innlogginger\. Prøv igjen om \d+ sekunder\."))
