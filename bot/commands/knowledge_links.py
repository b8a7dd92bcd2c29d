"""`make check-links`: fetch every source the bot cites and report what an editor must see.

Reads the source URLs of data/knowledge (entries and career-centre offices) and the
utdanning.no pages of data/occupations, fetches each once without following redirects,
and reports:

- dead: the page answers 4xx/5xx, or cannot be reached at all;
- moved: the page answers with a redirect (the new address is shown), so the link in the
  data should be updated to where it now lives;
- changed: the page's text differs from the last run's (a fingerprint kept in the state
  file), so the facts taken from it may have changed and the entry needs a new check.

Exit code 1 when a link is dead or moved, else 0. It needs the web: run it by hand or on
a schedule where the web is reachable, never in `make test` (the tests drive it against a
local server on loopback). Nothing the pages say is stored, only a hash of their text.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import yaml

from bot.shared.settings import PROJECT_DIR

KNOWLEDGE_DIR = PROJECT_DIR / "data" / "knowledge"
OCCUPATIONS_DIR = PROJECT_DIR / "data" / "occupations"
DEFAULT_STATE = PROJECT_DIR / "var" / "link-check.json"
USER_AGENT = "Veivalg link check (+https://karriereveiledning.no)"
TIMEOUT_SECONDS = 20
PARALLEL = 8

_SCRIPT_OR_STYLE = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Result:
    url: str
    status: str  # "ok", "dead", "moved"
    detail: str = ""
    fingerprint: str | None = None


def cited_urls(knowledge_dir: Path = KNOWLEDGE_DIR,
               occupations_dir: Path = OCCUPATIONS_DIR) -> list[str]:
    """Every URL the answers cite, once each, in a stable order."""
    urls: list[str] = []
    for path in sorted(knowledge_dir.glob("*.yml")):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("entries") or []:
            urls.append(str(entry["source"]))
            offices = entry.get("offices") or ()
            urls += [str(office["url"]) for office in offices if office.get("url")]
    for path in sorted(occupations_dir.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        urls += [str(item["url"]) for item in document.get("occupations") or [] if item.get("url")]
    return list(dict.fromkeys(urls))


def fingerprint(body: str) -> str:
    """A hash of the page's visible text, so markup and whitespace changes do not count."""
    text = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", body))
    text = _SPACE.sub(" ", html.unescape(text)).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def check_one(session: aiohttp.ClientSession, url: str, fetch_url: str) -> Result:
    try:
        async with session.get(fetch_url, allow_redirects=False) as reply:
            if 300 <= reply.status < 400:
                where = reply.headers.get("Location", "?")
                return Result(url, "moved", f"{reply.status} to {where}")
            if reply.status >= 400:
                return Result(url, "dead", f"HTTP {reply.status}")
            body = await reply.text(errors="replace")
            return Result(url, "ok", f"HTTP {reply.status}", fingerprint(body))
    except (aiohttp.ClientError, asyncio.TimeoutError, UnicodeError) as error:
        return Result(url, "dead", f"{type(error).__name__}: {error}".strip())


async def check_all(urls: Iterable[str], rewrite: Callable[[str], str] = lambda url: url,
                    timeout: float = TIMEOUT_SECONDS, parallel: int = PARALLEL) -> list[Result]:
    """Fetch each URL (through ``rewrite``, which tests use to reach a local server)."""
    limit = asyncio.Semaphore(parallel)
    client_timeout = aiohttp.ClientTimeout(total=timeout)

    async with aiohttp.ClientSession(timeout=client_timeout,
                                     headers={"User-Agent": USER_AGENT}) as session:
        async def bounded(url: str) -> Result:
            async with limit:
                return await check_one(session, url, rewrite(url))

        return list(await asyncio.gather(*(bounded(url) for url in urls)))


def changed(results: Iterable[Result], previous: dict[str, str]) -> list[Result]:
    """Pages fetched now whose text differs from what the last run saw."""
    return [r for r in results
            if r.fingerprint and r.url in previous and previous[r.url] != r.fingerprint]


def load_state(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(url): str(value) for url, value in (data.get("fingerprints") or {}).items()}


def save_state(path: Path, previous: dict[str, str], results: Iterable[Result]) -> None:
    """Keep the newest fingerprint of each page; a page that failed keeps its last one."""
    fingerprints = dict(previous)
    fingerprints.update({r.url: r.fingerprint for r in results if r.fingerprint})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fingerprints": fingerprints}, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


def report(results: list[Result], previous: dict[str, str]) -> tuple[str, int]:
    """The report an editor reads, and the exit code."""
    dead = [r for r in results if r.status == "dead"]
    moved = [r for r in results if r.status == "moved"]
    differ = changed(results, previous)
    new = [r for r in results if r.fingerprint and r.url not in previous]
    lines = [f"Checked {len(results)} links: {len(dead)} dead, {len(moved)} moved, "
             f"{len(differ)} changed since the last check, {len(new)} seen for the first time."]
    for title, group in (("Dead", dead), ("Moved", moved), ("Changed since the last check",
                                                            differ)):
        if group:
            lines.append(f"{title}:")
            lines += [f"  {r.url}  {r.detail}".rstrip() for r in group]
    if differ:
        lines.append("Check the entries citing a changed page, then update their checked date.")
    if results and all(r.status == "dead" and not r.detail.startswith("HTTP") for r in results):
        lines.insert(1, "No page could be reached at all: is the web reachable from here?")
    return "\n".join(lines), 1 if dead or moved else 0


def _rewriter(pairs: list[str]) -> Callable[[str], str]:
    mapping = []
    for pair in pairs:
        source, _, target = pair.partition("=")
        if not source or not target:
            raise SystemExit(f"--map expects FROM=TO, got {pair!r}")
        mapping.append((source, target))

    def rewrite(url: str) -> str:
        for source, target in mapping:
            if url.startswith(source):
                return target + url[len(source):]
        return url

    return rewrite


def main(argv: list[str] | None = None) -> int:
    summary = (__doc__ or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bot.commands.knowledge_links",
                                     description=summary)
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE,
                        help="where the page fingerprints are kept between runs")
    parser.add_argument("--knowledge", type=Path, default=KNOWLEDGE_DIR)
    parser.add_argument("--occupations", type=Path, default=OCCUPATIONS_DIR)
    parser.add_argument("--map", action="append", default=[], metavar="FROM=TO",
                        help="fetch URLs starting with FROM from TO (a mirror, a test server)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS)
    args = parser.parse_args(argv)
    urls = cited_urls(args.knowledge, args.occupations)
    previous = load_state(args.state)
    results = asyncio.run(check_all(urls, _rewriter(args.map), args.timeout))
    text, code = report(results, previous)
    save_state(args.state, previous, results)
    print(text)
    return code


if __name__ == "__main__":
    sys.exit(main())
