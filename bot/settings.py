"""Every setting Veivalg reads from the environment, in one place.

Operators configure the service through these variables (documented in
docs/configuration.md); nothing else in the code reads ``os.environ`` for settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = PROJECT_DIR / "var"

DEFAULT_DATABASE_URL = f"sqlite:///{STATE_DIR / 'veivalg.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    host: str
    api_token: str
    rasa_port: int
    action_port: int
    action_host: str
    action_token: str
    max_message_chars: int
    messages_per_minute: int
    allowed_origins: frozenset[str]
    desk_session_minutes: int
    desk_reconnect_seconds: float
    average_case_minutes: float
    long_wait_minutes: float
    opening_hours_file: str
    telegram_token: str
    telegram_secret: str
    telegram_webhook_url: str
    telegram_api_url: str
    telegram_set_webhook: bool
    messenger_verify: str
    messenger_secret: str
    messenger_page_token: str
    messenger_api_url: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("VEIVALG_DATABASE_URL") or DEFAULT_DATABASE_URL,
            redis_url=os.environ.get("VEIVALG_REDIS_URL", ""),
            host=os.environ.get("VEIVALG_HOST", "127.0.0.1"),
            api_token=os.environ.get("VEIVALG_API_TOKEN", ""),
            rasa_port=int(os.environ.get("VEIVALG_RASA_PORT", "5005")),
            action_port=int(os.environ.get("VEIVALG_ACTION_PORT", "5055")),
            action_host=os.environ.get("VEIVALG_ACTION_HOST", "127.0.0.1"),
            action_token=os.environ.get("VEIVALG_ACTION_TOKEN", ""),
            max_message_chars=int(os.environ.get("VEIVALG_MAX_MESSAGE_CHARS", "2000")),
            messages_per_minute=int(os.environ.get("VEIVALG_MESSAGES_PER_MINUTE", "30")),
            allowed_origins=frozenset(
                origin.strip().rstrip("/")
                for origin in os.environ.get("VEIVALG_ALLOWED_ORIGINS", "").split(",")
                if origin.strip()
            ),
            desk_session_minutes=int(os.environ.get("VEIVALG_DESK_SESSION_MINUTES", "480")),
            desk_reconnect_seconds=float(os.environ.get("VEIVALG_DESK_RECONNECT_SECONDS", "30")),
            average_case_minutes=float(os.environ.get("VEIVALG_AVERAGE_CASE_MINUTES", "8")),
            long_wait_minutes=float(os.environ.get("VEIVALG_LONG_WAIT_MINUTES", "15")),
            opening_hours_file=os.environ.get("VEIVALG_OPENING_HOURS")
            or str(PROJECT_DIR / "opening_hours.yml"),
            telegram_token=os.environ.get("VEIVALG_TELEGRAM_TOKEN", ""),
            telegram_secret=os.environ.get("VEIVALG_TELEGRAM_SECRET", ""),
            telegram_webhook_url=os.environ.get("VEIVALG_TELEGRAM_WEBHOOK_URL", ""),
            telegram_api_url=os.environ.get("VEIVALG_TELEGRAM_API_URL")
            or "https://api.telegram.org",
            telegram_set_webhook=os.environ.get("VEIVALG_TELEGRAM_SET_WEBHOOK", "")
            in ("1", "true", "yes"),
            messenger_verify=os.environ.get("VEIVALG_MESSENGER_VERIFY", ""),
            messenger_secret=os.environ.get("VEIVALG_MESSENGER_SECRET", ""),
            messenger_page_token=os.environ.get("VEIVALG_MESSENGER_PAGE_TOKEN", ""),
            messenger_api_url=os.environ.get("VEIVALG_MESSENGER_API_URL", ""),
        )
