"""A person in crisis: every open desk sounds and shows a banner, and the counsellor sees
which message it was. Two counsellors in two real Chromium pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.clients import add_counsellor
from bot.commands.serve import Servers
from tests.browser.conftest import axe_violations, wait_for
from tests.browser.test_desk import log_in
from tests.facts import PERHAPS_CRISIS
from tests.servers import Chat

# Counts the tones the page starts, so a test can tell that the desk sounded.
COUNT_TONES = """
  window.__tones = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__tones += 1;
    return start.apply(this, args);
  };
"""
CRISIS_MESSAGE = "orker ikke mer, har skrevet avskjedsbrev til mamma"


@pytest.fixture(scope="module")
def counsellors(servers: Servers) -> tuple[str, str]:
    add_counsellor(servers, "tove", "Tove")
    add_counsellor(servers, "arne", "Arne")
    return "tove", "arne"


def open_desk(browser: Browser, servers: Servers, login: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.add_init_script(COUNT_TONES)
    page = context.new_page()
    page.goto(f"{servers.rasa_url}/desk/")
    log_in(page, login)
    expect(page.locator("#desk-status")).to_contain_text("Tilkoblet")
    return page


@pytest.fixture
def desks(browser: Browser, servers: Servers,
          counsellors: tuple[str, str]) -> Iterator[tuple[Page, Page]]:
    pages = tuple(open_desk(browser, servers, login) for login in counsellors)
    yield pages
    for page in pages:
        page.context.close()


def test_every_open_desk_is_alerted_and_sees_why(desks: tuple[Page, Page],
                                                  servers: Servers) -> None:
    tove, arne = desks
    assert not tove.locator("#desk-crisis").is_visible()

    Chat(servers).send("b-crisis", CRISIS_MESSAGE)

    for desk in desks:
        banner = desk.locator("#desk-crisis")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("selvmord eller selvskading")
        expect(banner).to_contain_text("i køen")
        expect(banner).to_contain_text(f"«{CRISIS_MESSAGE}»")
        wait_for(desk, "window.__tones >= 2")  # two tones: the alarm sounded
        urgent = desk.locator('#desk-queue .desk-case[data-priority="urgent"]')
        expect(urgent).to_contain_text("Haster")
    assert axe_violations(tove) == []

    tove.locator("#desk-crisis button", has_text="Åpne saken").click()
    expect(tove.locator("#desk-crisis")).to_be_hidden()  # seen here ...
    expect(arne.locator("#desk-crisis")).to_be_visible()  # ... not yet there
    flagged = tove.locator('#desk-transcript .desk-msg[data-alert="crisis"]')
    expect(flagged).to_contain_text(CRISIS_MESSAGE)
    expect(flagged).to_contain_text("Krisespråk")
    expect(tove.locator("#desk-facts")).to_contain_text("Krise")

    tove.click("#desk-take")
    expect(arne.locator("#desk-crisis")).to_contain_text("hos Tove")
    arne.locator("#desk-crisis button", has_text="Skjul varselet").click()
    expect(arne.locator("#desk-crisis")).to_be_hidden()
    tove.click("#desk-close")
    tove.click("#desk-close-confirm")


def test_perhaps_crisis_language_in_the_queue_is_marked_for_the_counsellor(
    desks: tuple[Page, Page], servers: Servers
) -> None:
    """The bot is paused in the queue and cannot ask how the person is: the counsellor sees
    the message marked, in the transcript and as it arrives (no alarm: it is not sure)."""
    tove, _ = desks
    person = Chat(servers)
    assert "i køen" in person.texts("b-maybe", "jeg vil snakke med en rådgiver")
    person.send("b-maybe", PERHAPS_CRISIS)

    case = tove.locator("#desk-queue li.desk-case").last
    case.locator("button").first.click()
    marked = tove.locator('#desk-transcript .desk-msg[data-alert="crisis_check"]')
    expect(marked).to_contain_text(PERHAPS_CRISIS)
    expect(marked).to_contain_text("Mulig krisespråk")

    person.send("b-maybe", "I don't see why I should keep going")
    expect(marked).to_have_count(2)
    expect(marked.last).to_contain_text("keep going")
    expect(tove.locator("#desk-crisis")).to_be_hidden()
    assert axe_violations(tove) == []
    tove.click("#desk-take")
    tove.click("#desk-close")
    tove.click("#desk-close-confirm")
