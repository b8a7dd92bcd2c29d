"""`make check-links` against a real HTTP server on loopback: dead, moved and changed pages.

The link check is the one tool that needs the web; here every cited address is mapped to
a local aiohttp server (``--map``), so the test never leaves the machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from bot.commands.knowledge_links import check_all, cited_urls, fingerprint, load_state, report
from bot.commands.serve import free_port

SITE = "https://www.example.no"


class Site:
    """A small web site whose pages an editor's sources point at."""

    def __init__(self) -> None:
        self.news = "Søknadsfristen er 15. april."
        self.port = free_port()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/stable", lambda _: web.Response(
            text="<html><script>var t = Date.now()</script><p>Opptak åpner 1. februar.</p></html>",
            content_type="text/html"))
        app.router.add_get("/news", lambda _: web.Response(text=f"<p>{self.news}</p>",
                                                            content_type="text/html"))
        app.router.add_get("/old", lambda _: web.HTTPMovedPermanently("/stable"))
        return app  # /gone is not routed: 404

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    served = Site()
    runner = web.AppRunner(served.app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", served.port).start()
    try:
        yield served
    finally:
        await runner.cleanup()


def write_knowledge(directory: Path) -> Path:
    knowledge = directory / "knowledge"
    knowledge.mkdir()
    entries = [
        {"id": f"t.{name}", "intent": "ask_x", "source": f"{SITE}/{name}",
         "checked": dt.date(2026, 12, 3), "checked_against": "stored copy",
         "text": {"nb": "a", "nn": "b", "en": "c"}}
        for name in ("stable", "news", "old", "gone")
    ]
    entries[0]["offices"] = [{"name": "Kontor", "town": "Alta", "url": f"{SITE}/news"}]
    (knowledge / "t.yml").write_text(yaml.safe_dump({"entries": entries}), encoding="utf-8")
    (directory / "occupations").mkdir()
    return knowledge


async def test_dead_moved_and_changed_pages_are_reported(site: Site, tmp_path: Path) -> None:
    knowledge = write_knowledge(tmp_path)
    urls = cited_urls(knowledge, tmp_path / "occupations")
    assert urls == [f"{SITE}/stable", f"{SITE}/news", f"{SITE}/old", f"{SITE}/gone"]

    def local(url: str) -> str:
        return url.replace(SITE, site.base)

    first = {r.url: r for r in await check_all(urls, local)}
    assert first[f"{SITE}/gone"].status == "dead" and "404" in first[f"{SITE}/gone"].detail
    assert first[f"{SITE}/old"].status == "moved" and "/stable" in first[f"{SITE}/old"].detail
    assert first[f"{SITE}/stable"].status == "ok"
    previous = {url: r.fingerprint for url, r in first.items() if r.fingerprint}

    site.news = "Søknadsfristen er 20. april."
    second = await check_all(urls, local)
    text, code = report(second, previous)
    assert code == 1
    assert f"Changed since the last check:\n  {SITE}/news" in text
    assert f"{SITE}/stable  " not in text.split("Changed since the last check:")[1]


def test_scripts_and_markup_do_not_count_as_a_change() -> None:
    assert fingerprint("<p>Frist  15. april</p><script>x=1</script>") == fingerprint(
        "<div>Frist 15. april<script>x=2</script></div>")
    assert fingerprint("<p>Frist 15. april</p>") != fingerprint("<p>Frist 20. april</p>")


async def test_the_command_keeps_fingerprints_between_runs(site: Site, tmp_path: Path) -> None:
    knowledge = write_knowledge(tmp_path)
    state = tmp_path / "state.json"
    command = [sys.executable, "-m", "bot.commands.knowledge_links", "--knowledge", str(knowledge),
               "--occupations", str(tmp_path / "occupations"), "--state", str(state),
               "--map", f"{SITE}={site.base}", "--timeout", "5"]

    async def run() -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(process.communicate(), 120)
        return process.returncode or 0, out.decode()

    code, out = await run()
    assert code == 1, out  # /gone is dead, /old moved
    assert "4 links: 1 dead, 1 moved, 0 changed" in out
    assert set(load_state(state)) == {f"{SITE}/stable", f"{SITE}/news"}
    site.news = "Ny tekst."
    code, out = await run()
    assert "1 changed since the last check" in out and f"  {SITE}/news" in out
