"""Every setting Veivalg reads from the environment, in one place.

Operators configure the service through these variables (documented in
docs/configuration.md); nothing else in the code reads ``os.environ`` for settings.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
STATE_DIR = PROJECT_DIR / "var"

DEFAULT_DATABASE_URL = f"sqlite:///{STATE_DIR / 'veivalg.db'}"
# A proxy on the same machine (the nginx of deploy/) may say that a request came over TLS
# and from which address; nobody else may.
DEFAULT_TRUSTED_PROXIES = "127.0.0.1,::1"

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or networks (10.0.0.0/8); a typo fails at start, loudly."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in text.split(",") if part.strip())


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
    desk_session_check_seconds: float
    desk_login_attempts: int
    desk_login_attempts_per_ip: int
    desk_login_pause_seconds: float
    trusted_proxies: tuple[IPNetwork, ...]
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
    retention_days: float
    crisis_retention_days: float
    callback_retention_days: float
    purge_interval_minutes: float
    # Abuse limits (bot/server/channels/limits.py) and the database's timeouts
    # (bot/server/database.py).
    frames_per_minute: int = 120
    ip_messages_per_minute: int = 300
    ip_frames_per_minute: int = 1200
    max_request_bytes: int = 1_048_576
    max_channel_bytes: int = 65_536
    max_open_cases: int = 1000
    database_timeout_seconds: float = 10.0
    # Who may read /ops/metrics (bot/server/metrics.py); empty: the API token.
    metrics_token: str = ""

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
            desk_session_check_seconds=float(
                os.environ.get("VEIVALG_DESK_SESSION_CHECK_SECONDS", "5")),
            desk_login_attempts=int(os.environ.get("VEIVALG_DESK_LOGIN_ATTEMPTS", "5")),
            desk_login_attempts_per_ip=int(
                os.environ.get("VEIVALG_DESK_LOGIN_ATTEMPTS_PER_IP", "20")),
            desk_login_pause_seconds=float(
                os.environ.get("VEIVALG_DESK_LOGIN_PAUSE_SECONDS", "30")),
            trusted_proxies=parse_networks(
                os.environ.get("VEIVALG_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)),
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
            # How long what people said is kept after a conversation's last activity
            # (docs/privacy.md says why these defaults).
            retention_days=_days("VEIVALG_RETENTION_DAYS", "30"),
            crisis_retention_days=_days("VEIVALG_CRISIS_RETENTION_DAYS", "90"),
            callback_retention_days=_days("VEIVALG_CALLBACK_RETENTION_DAYS", "14"),
            purge_interval_minutes=float(os.environ.get("VEIVALG_PURGE_INTERVAL_MINUTES", "60")),
            frames_per_minute=int(os.environ.get("VEIVALG_FRAMES_PER_MINUTE", "120")),
            ip_messages_per_minute=int(os.environ.get("VEIVALG_IP_MESSAGES_PER_MINUTE", "300")),
            ip_frames_per_minute=int(os.environ.get("VEIVALG_IP_FRAMES_PER_MINUTE", "1200")),
            max_request_bytes=int(os.environ.get("VEIVALG_MAX_REQUEST_BYTES", "1048576")),
            max_channel_bytes=int(os.environ.get("VEIVALG_MAX_CHANNEL_BYTES", "65536")),
            max_open_cases=int(os.environ.get("VEIVALG_MAX_OPEN_CASES", "1000")),
            database_timeout_seconds=float(
                os.environ.get("VEIVALG_DATABASE_TIMEOUT_SECONDS", "10")),
            messenger_api_url=os.environ.get("VEIVALG_MESSENGER_API_URL", ""),
            metrics_token=os.environ.get("VEIVALG_METRICS_TOKEN", ""),
        )


def _days(name: str, default: str) -> float:
    """A retention in days; zero or less would cut conversations that are going on."""
    days = float(os.environ.get(name) or default)
    if days <= 0:
        raise ValueError(f"{name} must be more than 0 days, not {days}")
    return days
