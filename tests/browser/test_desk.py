"""A person in the web chat and a counsellor in the desk, two pages at once."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import APIResponse, Browser, Page, Route, expect

from bench.clients import PASSWORD, add_counsellor
from bot.commands.serve import Servers
from bot.server.database import make_engine
from bot.server.handoff.accounts import Accounts
from tests.browser.conftest import (
    axe_violations,
    open_chat,
    send,
    wait_bot_messages,
)


@pytest.fixture(scope="module")
def counsellor_login(servers: Servers) -> str:
    add_counsellor(servers, "signe", "Signe")
    return "signe"


@pytest.fixture
def desk(browser: Browser, servers: Servers) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{servers.rasa_url}/desk/")
    yield page
    context.close()


def log_in(desk: Page, login: str, password: str = PASSWORD) -> None:
    desk.fill("#desk-login", login)
    desk.fill("#desk-password", password)
    desk.click("#desk-login-form button[type=submit]")


def test_person_and_counsellor_chat_both_ways_then_close(
    page: Page, desk: Page, servers: Servers, counsellor_login: str
) -> None:
    log_in(desk, counsellor_login)
    expect(desk.locator("#desk-me")).to_contain_text("Signe")
    expect(desk.locator("#desk-status")).not_to_contain_text("Kobler")

    open_chat(page, servers)
    send(page, "Når er fristen for å søke på Samordna opptak?")
    wait_bot_messages(page, 1)
    send(page, "jeg vil snakke med en rådgiver")
    assert "i køen" in wait_bot_messages(page, 2)[-1]
    expect(page.locator("#veivalg-notice")).to_contain_text("nummer 1")

    # The case appears in the desk without a reload.
    case = desk.locator("#desk-queue li.desk-case").last
    expect(case).to_be_visible()
    case.locator("button").first.click()
    expect(desk.locator("#desk-summary")).to_contain_text("Samordna opptak")
    desk.click("#desk-take")
    expect(page.locator('#veivalg-log .vv-event[data-event="joined"]')).to_contain_text("Signe")

    desk.fill("#desk-reply", "Hei! Jeg heter Signe. Hva lurer du på?")
    desk.press("#desk-reply", "Enter")
    counsellor_line = page.locator('#veivalg-log .vv-msg[data-from="counsellor"]')
    expect(counsellor_line).to_contain_text("Hei! Jeg heter Signe.")
    expect(counsellor_line.locator(".vv-who")).to_contain_text("Signe")

    page.fill("#veivalg-input", "jeg vet ikke om jeg skal studere eller ta fagbrev")
    expect(desk.locator("#desk-typing")).to_contain_text("skriver")  # sees the person type
    page.press("#veivalg-input", "Enter")
    expect(desk.locator('#desk-transcript .desk-msg[data-from="user"]').last).to_contain_text(
        "studere eller ta fagbrev"
    )

    desk.fill("#desk-note", "Usikker mellom fagbrev og studier.")
    desk.click("#desk-note-save")
    expect(desk.locator("#desk-notes")).to_contain_text("Usikker mellom")
    expect(page.locator("#veivalg-log")).not_to_contain_text("Usikker mellom")  # internal

    assert axe_violations(desk) == []

    desk.click("#desk-close")
    desk.click("#desk-close-confirm")
    expect(page.locator('#veivalg-log .vv-event[data-event="left"]')).to_be_visible()
    assert "avsluttet samtalen" in wait_bot_messages(page, 3)[-1]
    send(page, "takk")
    assert wait_bot_messages(page, 4)[-1].startswith("Bare hyggelig")


def test_a_case_taken_before_it_has_loaded_can_be_answered_at_once(
    page: Page, desk: Page, servers: Servers, counsellor_login: str
) -> None:
    """The case's details, asked for when the counsellor chose it, arrive after she took
    it (a slow line): they are older than the take and must not undo it."""
    held: list[tuple[Route, APIResponse]] = []

    def hold_case_details(route: Route) -> None:
        if route.request.method != "GET":
            route.continue_()
            return
        held.append((route, route.fetch()))  # read now, as the case is before the take

    desk.route(re.compile(r".*/desk/api/cases/\d+$"), hold_case_details)
    log_in(desk, counsellor_login)
    # Online only once the desk's socket is up: before that the person is told that
    # nobody is there, and no case is made.
    expect(desk.locator("#desk-status")).to_have_attribute("data-state", "online")
    open_chat(page, servers)
    send(page, "jeg vil snakke med en rådgiver")
    wait_bot_messages(page, 1)
    desk.locator("#desk-queue li.desk-case").last.locator("button").first.click()
    desk.click("#desk-take")
    expect(page.locator('#veivalg-log .vv-event[data-event="joined"]')).to_be_visible()
    expect(desk.locator("#desk-reply")).to_be_enabled()
    assert len(held) == 1
    route, before_the_take = held[0]
    route.fulfill(response=before_the_take)
    expect(desk.locator('#desk-transcript .desk-msg[data-from="user"]')).to_contain_text(
        "snakke med en rådgiver")  # the details are in
    desk.fill("#desk-reply", "Hei! Hva lurer du på?")
    desk.press("#desk-reply", "Enter")
    expect(page.locator('#veivalg-log .vv-msg[data-from="counsellor"]')).to_contain_text(
        "Hva lurer du på?")
    desk.click("#desk-close")
    desk.click("#desk-close-confirm")
    expect(page.locator('#veivalg-log .vv-event[data-event="left"]')).to_be_visible()


def test_a_wrong_password_is_refused(desk: Page, counsellor_login: str) -> None:
    log_in(desk, counsellor_login, "feil-passord-her")
    expect(desk.locator("#desk-login-error")).to_contain_text("Feil brukernavn eller passord")
    assert axe_violations(desk) == []


def test_an_expired_session_returns_to_login(desk: Page, servers: Servers,
                                             counsellor_login: str) -> None:
    log_in(desk, counsellor_login)
    expect(desk.locator("#desk-me")).to_contain_text("Signe")
    accounts = Accounts(make_engine(servers.database_url), session_minutes=60)
    signe = next(c.id for c in accounts.all() if c.name == "Signe")
    accounts.expire_sessions_of(signe)
    desk.reload()
    expect(desk.locator("#desk-login-form")).to_be_visible()
    expect(desk.locator("#desk-me")).not_to_be_visible()


def test_without_a_session_only_the_login_is_shown(desk: Page) -> None:
    expect(desk.locator("#desk-login-form")).to_be_visible()
    expect(desk.locator("#desk-queue")).not_to_be_visible()
