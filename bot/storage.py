"""Where conversations are kept: Rasa's SQL tracker store on a URL from the environment.

SQLite by default, so one machine needs nothing installed; PostgreSQL is a setting
(``VEIVALG_DATABASE_URL=postgresql://...``), not a code change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from bot.settings import Settings


def _ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


class ConversationStore(SQLTrackerStore):
    """SQLTrackerStore whose database URL is ``VEIVALG_DATABASE_URL``."""

    def __init__(
        self,
        domain: Domain | None = None,
        event_broker: EventBroker | None = None,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Rasa passes the endpoint's `url` as `host`; the environment wins over both.
        kwargs.pop("host", None)
        database_url = url or Settings.from_env().database_url
        _ensure_sqlite_directory(database_url)
        # SQLTrackerStore accepts a complete URL in `host` and uses it as it is.
        super().__init__(domain=domain, host=database_url, event_broker=event_broker, **kwargs)
