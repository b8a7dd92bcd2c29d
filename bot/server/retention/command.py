"""``python -m bot.server.retention purge [--dry-run]`` and
``python -m bot.server.retention erase ID``."""

from __future__ import annotations

import argparse
import asyncio

from bot.server.database import make_engine
from bot.server.retention.erasure import erase_now
from bot.server.retention.purge import Retention, purge_once
from bot.shared.settings import Settings


async def _forget_kept(redis_url: str, sender_id: str) -> None:
    from bot.server.redis_delivery import RedisDelivery

    delivery = RedisDelivery(redis_url)
    try:
        await delivery.forget(sender_id)
    finally:
        await delivery.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.server.retention",
        description="Delete what has outlived its retention, or erase one conversation.")
    commands = parser.add_subparsers(dest="command", required=True)
    purge_command = commands.add_parser("purge", help="delete what is older than its retention")
    purge_command.add_argument("--dry-run", action="store_true",
                               help="count what would go, delete nothing")
    erase = commands.add_parser("erase", help="erase one conversation (on the person's request)")
    erase.add_argument("sender_id")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    if args.command == "purge":
        report = purge_once(engine, Retention.from_settings(settings), settings.redis_url,
                            dry_run=args.dry_run)
        if report is None:
            print("Another process is purging now; nothing done.")
            return 1
        print("\n".join(report.lines()))
        return 0
    deleted = erase_now(engine, args.sender_id)
    if settings.redis_url:  # frames kept in Redis for the person's next connection
        asyncio.run(_forget_kept(settings.redis_url, args.sender_id))
    rows = ", ".join(f"{table} {n}" for table, n in sorted(deleted.items())) or "nothing found"
    print(f"Erased: {rows}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
