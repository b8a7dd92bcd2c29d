"""A real browser for the web chat: Debian's chromium, driven by Playwright."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, WebSocketRoute, sync_playwright

from bot.commands.serve import Servers
from bot.shared.settings import PROJECT_DIR
from tests.waiting import wait_until

CHROMIUM = "/usr/bin/chromium"
# No background networking: this machine's network is closed, and Chromium's own
# connections would only fail, slowly.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
SOCKET_URL = re.compile(r".*/chat/socket.*")


# Module scope: Playwright's sync API runs an event loop on this thread, which must be
# gone before pytest-asyncio runs the socket tests in another module.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser-tools` installs Debian's chromium")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser, servers: Servers) -> Iterator[Page]:
    """A fresh browser profile (own localStorage) on the demo page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(20_000)
    opened = context.new_page()
    yield opened
    context.close()


class SocketSwitch:
    """Sits between the page and the server's socket, so a test can drop the connection."""

    def __init__(self, page: Page) -> None:
        self.routes: list[WebSocketRoute] = []
        page.route_web_socket(SOCKET_URL, self._connect)

    def _connect(self, route: WebSocketRoute) -> None:
        route.connect_to_server()
        self.routes.append(route)

    def drop(self) -> None:
        """The network goes: close the page's side (the server's side closes with it)."""
        self.routes[-1].close(code=1006, reason="network gone")


def wait_for(page: Page, expression: str, timeout: float = 20) -> None:
    """Wait until `expression` is true in the page. Not page.wait_for_function: that one
    compiles its predicate with `new Function` inside the page, which the pages' CSP
    (no 'unsafe-eval') refuses; page.evaluate is the test's own, outside the policy."""
    wait_until(lambda: page.evaluate(expression), timeout=timeout, what=expression,
               interval=0.05)


def open_chat(page: Page, servers: Servers) -> None:
    page.goto(f"{servers.rasa_url}/chat/")
    wait_for(page, "document.documentElement.dataset.veivalgReady === 'true'")
    page.click("#veivalg-launcher")
    page.wait_for_selector("#veivalg-panel:not([hidden])")
    wait_connected(page)


def wait_connected(page: Page) -> None:
    wait_for(page, "document.querySelector('#veivalg-status').textContent.trim() === ''")


def send(page: Page, text: str) -> None:
    page.fill("#veivalg-input", text)
    page.press("#veivalg-input", "Enter")


def bot_messages(page: Page) -> list[str]:
    return page.locator('#veivalg-log .vv-msg[data-from="bot"] .vv-text').all_inner_texts()


def wait_bot_messages(page: Page, count: int) -> list[str]:
    bots = "#veivalg-log .vv-msg[data-from=\"bot\"]"
    wait_for(page, f"document.querySelectorAll('{bots}').length >= {count}")
    return bot_messages(page)


def axe_violations(page: Page) -> list[dict]:
    # Evaluated, not added as a <script>: the pages' CSP refuses inline scripts, and
    # rightly so; the test's own evaluation is outside the page's policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
