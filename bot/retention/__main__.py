"""``python -m bot.retention``: see bot/retention/command.py."""

from bot.retention.command import main

raise SystemExit(main())
