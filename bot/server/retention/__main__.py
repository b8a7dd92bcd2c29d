"""``python -m bot.server.retention``: see bot/server/retention/command.py."""

from bot.server.retention.command import main

raise SystemExit(main())
