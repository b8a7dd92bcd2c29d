"""The web chat as a person meets it: a real browser against the real servers."""

from __future__ import annotations

import json
import time

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from bot.commands.serve import Servers
from tests.browser.conftest import (
    SOCKET_URL,
    SocketSwitch,
    axe_violations,
    bot_messages,
    open_chat,
    send,
    wait_bot_messages,
    wait_connected,
    wait_for,
)
from tests.facts import answer_problems, response
from tests.servers import Chat, push


def sender_of(page: Page) -> str | None:
    kept = page.evaluate("sessionStorage.getItem('veivalg.conversation')")
    return json.loads(kept)["sender"] if kept else None


def remembered(page: Page) -> dict | None:
    kept = page.evaluate("localStorage.getItem('veivalg.conversation')")
    return json.loads(kept) if kept else None


def test_a_conversation_with_quick_reply_buttons(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    send(page, "hva blir været i Bergen i morgen?")
    wait_bot_messages(page, 1)
    buttons = page.locator("#veivalg-log .vv-choice")
    expect(buttons).to_have_count(3)
    buttons.filter(has_text="Lån og stipend").click()

    answer = wait_bot_messages(page, 2)[-1]
    assert answer_problems(answer, "ask_student_finance_deadline", "nb") == []
    people = page.locator('#veivalg-log .vv-msg[data-from="user"] .vv-text').all_inner_texts()
    assert people == ["hva blir været i Bergen i morgen?", "Lån og stipend"]  # title, not payload
    link = page.locator('#veivalg-log .vv-msg[data-from="bot"] a').last
    assert link.get_attribute("href").startswith("https://lanekassen.no/")
    assert link.get_attribute("rel") == "noopener noreferrer"
    expect(page.locator("#veivalg-log .vv-msg").first.locator("time")).to_have_count(1)


def test_a_reload_keeps_the_conversation(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    send(page, "Når er fristen for å søke på Samordna opptak?")
    wait_bot_messages(page, 1)
    before = sender_of(page)

    page.reload()
    page.wait_for_selector("#veivalg-panel:not([hidden])")  # the open panel stays open
    assert wait_bot_messages(page, 1)[0].startswith("Søknaden til Samordna opptak")
    assert sender_of(page) == before
    expect(page.locator('#veivalg-log .vv-msg[data-from="user"]')).to_have_count(1)


def test_new_conversation_starts_afresh(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    send(page, "hei")
    wait_bot_messages(page, 1)
    before = sender_of(page)
    page.click("#veivalg-new")
    expect(page.locator("#veivalg-log .vv-msg")).to_have_count(0)
    wait_connected(page)
    assert sender_of(page) != before
    send(page, "takk")
    assert wait_bot_messages(page, 1)[0].startswith("Bare hyggelig")


def test_a_dropped_connection_reconnects_and_loses_nothing(page: Page, servers: Servers) -> None:
    switch = SocketSwitch(page)
    open_chat(page, servers)
    send(page, "hei")
    wait_bot_messages(page, 1)

    switch.drop()
    expect(page.locator("#veivalg-status")).not_to_have_text("")  # says it reconnects
    wait_connected(page)
    assert len(switch.routes) == 2
    send(page, "når er fristen for å søke videregående?")
    answer = wait_bot_messages(page, 2)[-1]
    assert answer_problems(answer, "ask_upper_secondary_deadline", "nb") == []


class LostMidTurn:
    """The first socket's server takes ``question`` (acknowledges it) and dies before its
    turn is stored: the frame never reaches the real server and the socket drops. Every
    later socket goes through to the real server."""

    def __init__(self, page: Page, question: str) -> None:
        self.question = question
        self.sockets = 0
        page.route_web_socket(SOCKET_URL, self._connect)

    def _connect(self, route: WebSocketRoute) -> None:
        self.sockets += 1
        server = route.connect_to_server()
        if self.sockets > 1:
            return

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message) if isinstance(message, str) else {}
            if frame.get("type") == "message" and frame.get("text") == self.question:
                route.send(json.dumps({"type": "ack", "id": frame.get("id")}))
                route.close(code=1006, reason="replica killed")
            else:
                server.send(message)

        route.on_message(from_page)


def test_an_acknowledged_message_lost_with_its_server_is_sent_again(
        page: Page, servers: Servers) -> None:
    question = "når er fristen for å søke videregående?"
    lost = LostMidTurn(page, question)
    open_chat(page, servers)
    send(page, question)
    answer = wait_bot_messages(page, 1)[-1]
    assert lost.sockets == 2
    assert answer_problems(answer, "ask_upper_secondary_deadline", "nb") == []
    said = page.locator('#veivalg-log .vv-msg[data-from="user"] .vv-text').all_inner_texts()
    assert said.count(question) == 1


def test_pushes_arrive_while_open_and_after_a_reconnect(page: Page, servers: Servers) -> None:
    switch = SocketSwitch(page)
    open_chat(page, servers)
    send(page, "takk")
    wait_bot_messages(page, 1)
    person = sender_of(page)

    push(servers, person, "greet")  # the page is open: it shows at once
    assert wait_bot_messages(page, 2)[-1] == response("utter_greet", "nb")

    switch.drop()
    push(servers, person, "goodbye")  # nobody connected for a moment: kept
    wait_connected(page)
    assert len(switch.routes) == 2
    messages = wait_bot_messages(page, 3)
    assert messages[-1] == response("utter_goodbye", "nb")
    assert len(messages) == 3  # kept push and history together show it once


def test_script_in_a_message_is_shown_as_text(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    attack = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    send(page, attack)
    wait_bot_messages(page, 1)
    mine = page.locator('#veivalg-log .vv-msg[data-from="user"] .vv-text').last
    assert mine.inner_text() == attack
    assert page.locator("#veivalg-log img, #veivalg-log script").count() == 0
    assert page.evaluate("window.pwned") is None


def test_keyboard_only(page: Page, servers: Servers) -> None:
    page.goto(f"{servers.rasa_url}/chat/")
    wait_for(page, "document.documentElement.dataset.veivalgReady === 'true'")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "veivalg-launcher":
            break
    assert page.evaluate("document.activeElement.id") == "veivalg-launcher"
    page.keyboard.press("Enter")
    wait_for(page, "document.activeElement.id === 'veivalg-input'")
    wait_connected(page)
    page.keyboard.type("hva blir været i morgen?")
    page.keyboard.press("Enter")
    wait_bot_messages(page, 1)

    # Tab backwards from the input to the last quick reply, and press it.
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('vv-choice')"):
            break
    chosen = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    wait_bot_messages(page, 2)
    people = page.locator('#veivalg-log .vv-msg[data-from="user"] .vv-text').all_inner_texts()
    assert people[-1] == chosen

    page.keyboard.press("Escape")
    expect(page.locator("#veivalg-panel")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "veivalg-launcher"


def test_language_switch_changes_the_widget_and_the_bot(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    page.select_option("#veivalg-language", "nn")
    expect(page.locator("#veivalg-input")).to_have_attribute("placeholder", "Skriv ei melding")
    expect(page.locator("#veivalg-panel")).to_have_attribute("lang", "nn")
    send(page, "takk")
    assert wait_bot_messages(page, 1)[0].startswith("Berre hyggeleg")


def test_the_length_limit_is_shown(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    page.fill("#veivalg-input", "a" * 2500)
    assert len(page.input_value("#veivalg-input")) == 2000
    expect(page.locator("#veivalg-counter")).to_have_text("0 tegn igjen")


def test_accessibility_scan_finds_nothing(page: Page, servers: Servers) -> None:
    page.goto(f"{servers.rasa_url}/chat/")
    wait_for(page, "document.documentElement.dataset.veivalgReady === 'true'")
    assert axe_violations(page) == []
    page.click("#veivalg-launcher")
    wait_connected(page)
    send(page, "xqzj vvkw")
    wait_bot_messages(page, 1)
    assert axe_violations(page) == []


def test_works_at_320_pixels(page: Page, servers: Servers) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    open_chat(page, servers)
    send(page, "Når er fristen for å søke på Samordna opptak?")
    wait_bot_messages(page, 1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    box = page.locator("#veivalg-panel").bounding_box()
    assert box["width"] <= 320 and box["x"] >= 0
    expect(page.locator("#veivalg-send")).to_be_in_viewport()
    assert not bot_messages(page)[0].startswith("<")


def test_the_next_person_on_a_shared_computer_sees_nothing(
    page: Page, browser: Browser, servers: Servers
) -> None:
    page.goto(f"{servers.rasa_url}/chat/")  # an old widget's id lies in localStorage
    page.evaluate("localStorage.setItem('veivalg.sender', 'web-old-id')")
    open_chat(page, servers)
    send(page, "jeg heter Kari og lurer på lånekassen")
    wait_bot_messages(page, 1)
    assert page.evaluate("Object.keys(localStorage)") == []  # nothing outlives the tab
    # The tab is closed; the next person opens the chat in the same browser.
    context = page.context
    page.close()
    after = context.new_page()
    open_chat(after, servers)
    wait_connected(after)
    expect(after.locator("#veivalg-log .vv-msg")).to_have_count(0)


def test_remember_on_this_device_is_opt_in_and_expires(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    page.check("#veivalg-remember")
    send(page, "Når er fristen for å søke på Samordna opptak?")
    wait_bot_messages(page, 1)
    kept = remembered(page)
    assert kept["sender"] == sender_of(page)
    days = (kept["until"] / 1000 - time.time()) / 86400
    assert 6.9 < days <= 7
    # A new tab of the same browser opens it again...
    other = page.context.new_page()
    open_chat(other, servers)
    assert wait_bot_messages(other, 1)[0].startswith("Søknaden til Samordna opptak")
    # ...until it is due; then it is gone from the device.
    other.evaluate("""() => {
        const kept = JSON.parse(localStorage.getItem('veivalg.conversation'));
        localStorage.setItem('veivalg.conversation',
                             JSON.stringify({...kept, until: Date.now() - 1}));
    }""")
    third = page.context.new_page()
    open_chat(third, servers)
    wait_connected(third)
    expect(third.locator("#veivalg-log .vv-msg")).to_have_count(0)
    assert remembered(third) is None


def test_delete_conversation(page: Page, servers: Servers) -> None:
    open_chat(page, servers)
    send(page, "jeg vil bli elektriker")
    wait_bot_messages(page, 1)
    before = sender_of(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#veivalg-erase")
    expect(page.locator('#veivalg-notice [data-event="erased"]')).to_have_text(
        "Samtalen er slettet.")
    expect(page.locator("#veivalg-log .vv-msg")).to_have_count(0)
    wait_connected(page)
    assert sender_of(page) != before
    said = [e for e in Chat(servers).tracker(before)["events"] if e["event"] == "user"]
    assert said == []
