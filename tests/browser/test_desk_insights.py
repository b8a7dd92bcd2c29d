"""The insights page in a real browser: a lead sees charts (Chart.js, served by the desk,
under the desk's CSP) and labels what the bot could not answer; a counsellor sees neither."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from bench.clients import PASSWORD, add_counsellor
from bot.commands.serve import Servers
from bot.server.database import make_engine
from bot.server.handoff.accounts import Accounts
from tests.browser.conftest import axe_violations, wait_for
from tests.servers import Chat

OFF_TOPIC = ["Kan du anbefale en god pizzaoppskrift?", "kan du gi meg en oppskrift på pizza",
             "Hvem vant fotballkampen i går?"]


@pytest.fixture(scope="module")
def accounts(servers: Servers) -> None:
    Accounts(make_engine(servers.database_url), 60).add("lise", "Lise Leder", PASSWORD,
                                                         role="lead")
    add_counsellor(servers, "truls", "Truls")


@pytest.fixture
def desk(browser: Browser, servers: Servers, accounts: None) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", seen)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{servers.rasa_url}/desk/")
    yield page, problems
    context.close()


def log_in(page: Page, login: str) -> None:
    page.fill("#desk-login", login)
    page.fill("#desk-password", PASSWORD)
    page.click("#desk-login-form button[type=submit]")
    expect(page.locator("#desk-account")).to_be_visible()


def test_a_lead_sees_charts_and_labels_a_group(desk: tuple[Page, list[str]], chat: Chat,
                                               servers: Servers) -> None:
    page, problems = desk
    chat.texts("insights-browser-1", "Når er fristen for å søke høyere utdanning?")
    for n, text in enumerate(OFF_TOPIC):
        chat.texts(f"insights-browser-off-{n}", text)

    log_in(page, "lise")
    problems.clear()  # the desk's own "not logged in yet" (401) before the login
    page.click("#desk-insights-link")
    wait_for(page, "document.documentElement.dataset.insightsReady === 'true'")
    expect(page.locator("#insights-key")).to_contain_text("Samtaler")
    expect(page.locator("#insights-key")).to_contain_text("Løst av boten alene")
    # Chart.js came from the desk itself and drew every chart.
    assert page.evaluate("typeof Chart") == "function"
    charts = page.evaluate(
        "[...document.querySelectorAll('#insights-charts canvas')]"
        ".filter(c => Chart.getChart(c) && c.width > 0).length")
    assert charts >= 9
    expect(page.locator("#chart-reasons table")).to_contain_text("Ba om rådgiver")

    group = page.locator("#insights-groups > li").first
    expect(group).to_contain_text("melding")
    group.locator("select").first.select_option("out_of_scope")
    group.locator("button[type=submit]").click()
    expect(group.locator("[role=status]")).to_contain_text("Lagret: Utenfor tjenesten")

    page.select_option("#insights-days", "30")
    wait_for(page, "document.querySelector('#insights-range').textContent.length > 0")
    expect(page.locator("#insights-groups > li").first).to_contain_text("Merket: Utenfor tjenesten")
    assert axe_violations(page) == []
    assert problems == []  # no CSP refusal, no script error


def test_a_counsellor_is_told_the_insights_are_for_leads(desk: tuple[Page, list[str]],
                                                         servers: Servers) -> None:
    page, _ = desk
    log_in(page, "truls")
    expect(page.locator("#desk-insights-link")).to_be_hidden()
    page.goto(f"{servers.rasa_url}/desk/insights/")
    expect(page.locator("#insights-message")).to_contain_text("Bare ledere")
    expect(page.locator("#insights-content")).to_be_hidden()
    assert axe_violations(page) == []


def test_a_person_says_an_answer_helped_and_rates_the_counsellor(
        page: Page, desk: tuple[Page, list[str]], servers: Servers) -> None:
    from tests.browser.conftest import open_chat, send, wait_bot_messages

    counsellor, _ = desk
    log_in(counsellor, "truls")
    open_chat(page, servers)
    send(page, "Når er fristen for å søke høyere utdanning?")
    wait_bot_messages(page, 1)
    useful = page.locator(".vv-feedback")
    expect(useful).to_contain_text("Var dette nyttig?")
    assert axe_violations(page) == []
    useful.get_by_role("button", name="Ja").click()
    expect(useful).to_contain_text("Takk for svaret!")

    send(page, "jeg vil snakke med en rådgiver")
    wait_bot_messages(page, 2)
    counsellor.locator("#desk-queue li.desk-case").last.locator("button").first.click()
    counsellor.click("#desk-take")
    counsellor.fill("#desk-reply", "Hei! Hva lurer du på?")
    counsellor.press("#desk-reply", "Enter")
    expect(page.locator('#veivalg-log .vv-msg[data-from="counsellor"]')).to_be_visible()
    counsellor.click("#desk-close")
    counsellor.click("#desk-close-confirm")

    rating = page.locator("form.vv-rate")
    expect(rating).to_contain_text("Hvordan var samtalen med rådgiveren?")
    assert axe_violations(page) == []
    rating.get_by_label("4 av 5").check()
    rating.get_by_label("Vil du si noe mer? (valgfritt)").fill("Fikk god hjelp.")
    rating.get_by_role("button", name="Send vurderingen").click()
    expect(page.locator('#veivalg-log [data-event="rated"]')).to_contain_text(
        "Takk for vurderingen!")
    expect(page.locator(".vv-alert")).to_be_empty()
