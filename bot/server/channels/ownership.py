"""Who may read and write a conversation: ids the server issues, one namespace per channel.

A conversation id starts with its channel (``web:``, ``telegram:``, ``messenger:``,
``rest:``), and each channel makes its ids itself, so no channel can be pointed at
another's conversation (a guessable Telegram chat id typed into the web chat, say).

- Web chat: the server makes a random id and, beside it, a resume secret (256 bits) that
  only the person's browser holds; the database keeps the secret's SHA-256. The id shows
  up in the desk and the logs, so it is no credential: a socket that names an id without
  its secret starts a new conversation.
- REST: the caller's ``sender`` is its credential; the conversation id is a one-way
  digest of it, so the id seen in the desk or a log does not open the conversation.
- Telegram and Messenger: the platform signs or authenticates its webhook calls, so
  the platform's chat id names the conversation.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.server.database import create_tables, make_engine
from bot.server.handoff.models import Base, ConversationKey

WEB = "web"
REST = "rest"
TELEGRAM = "telegram"
MESSENGER = "messenger"

_WEB_ID = re.compile(r"^web:[0-9a-f]{32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")  # 32 bytes, URL-safe base64 without padding


def channel_of(conversation_id: str) -> str:
    """The channel a conversation id belongs to ('' for an id from before namespaces)."""
    prefix, colon, _ = conversation_id.partition(":")
    return prefix if colon else ""


def rest_conversation(sender: str) -> str:
    """The conversation a REST caller's ``sender`` names: a digest, so that knowing the
    id (from the desk, a log) does not let anyone write into the conversation."""
    digest = hashlib.sha256(f"{REST}\0{sender}".encode()).hexdigest()
    return f"{REST}:{digest[:32]}"


def telegram_conversation(chat_id: int | str) -> str:
    return f"{TELEGRAM}:{chat_id}"


def messenger_conversation(psid: str) -> str:
    return f"{MESSENGER}:{psid}"


def new_web_conversation() -> tuple[str, str]:
    """A new web chat conversation id and its resume secret."""
    return f"{WEB}:{secrets.token_hex(16)}", secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    # The secret is 256 random bits: a plain hash cannot be reversed by guessing.
    return hashlib.sha256(secret.encode()).hexdigest()


def well_formed(conversation_id: object, secret: object) -> bool:
    return (isinstance(conversation_id, str) and isinstance(secret, str)
            and bool(_WEB_ID.match(conversation_id)) and bool(_SECRET.match(secret)))


class ResumeKeys:
    """The hashes of web chat resume secrets, in the service's database."""

    def __init__(self, database_url: str) -> None:
        self.engine: Engine = make_engine(database_url)
        self._ready = False

    def _prepare(self) -> None:
        if not self._ready:
            create_tables(Base.metadata, self.engine)
            self._ready = True

    def _issue(self, conversation_id: str, secret: str) -> None:
        self._prepare()
        with self.engine.begin() as db:
            db.execute(sa.insert(ConversationKey).values(
                sender_id=conversation_id, secret_hash=secret_digest(secret),
                created_at=time.time()))

    def _matches(self, conversation_id: str, secret: str) -> bool:
        self._prepare()
        with self.engine.connect() as db:
            stored = db.execute(
                sa.select(ConversationKey.secret_hash)
                .where(ConversationKey.sender_id == conversation_id)
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, secret_digest(secret))

    def _forget(self, conversation_id: str) -> None:
        self._prepare()
        with self.engine.begin() as db:
            db.execute(sa.delete(ConversationKey)
                       .where(ConversationKey.sender_id == conversation_id))

    # The database may be slow or away: never on the event loop.
    async def issue(self, conversation_id: str, secret: str) -> None:
        await asyncio.to_thread(self._issue, conversation_id, secret)

    async def matches(self, conversation_id: object, secret: object) -> bool:
        if not well_formed(conversation_id, secret):
            return False
        return await asyncio.to_thread(self._matches, conversation_id, secret)

    async def forget(self, conversation_id: str) -> None:
        """Ends access at once: the secret no longer opens the conversation."""
        await asyncio.to_thread(self._forget, conversation_id)

    def close(self) -> None:
        self.engine.dispose()
