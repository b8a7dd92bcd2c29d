"""The counsellor desk: a Rasa input channel that serves /desk/ on the Rasa server.

Counsellors log in, see the queue live, take cases, chat with the person through the
person's own channel, leave notes, transfer and close. The action server opens cases
through the internal endpoints. API: docs/desk-api.md.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import metrics
from bot.channels.delivery_report import NotDelivered
from bot.channels.frames import history_frame
from bot.channels.incoming import check_encodable
from bot.channels.security_headers import (
    came_over_tls,
    client_address,
    page_headers,
    same_origin,
    static_headers,
)
from bot.database import make_engine, off_loop
from bot.handoff.accounts import Accounts, CounsellorInfo, session_key
from bot.handoff.audit import TAKE, VIEW, AuditLog
from bot.handoff.cases import (
    OPEN,
    PENDING,
    RESOLVED,
    URGENT,
    AlreadyTakenError,
    Case,
    CaseBook,
    NewCase,
    NoSuchCaseError,
    NotAllowedError,
    QueueFullError,
)
from bot.handoff.hub import DeskHub
from bot.handoff.opening_hours import OpeningHours
from bot.handoff.person import PersonLink
from bot.handoff.throttle import LoginThrottle
from bot.handoff.undelivered import UndeliveredBook
from bot.insights.queries import REASONS
from bot.insights.views import insight_routes
from bot.nlp.crisis import said_in_crisis
from bot.settings import Settings
from bot.topics import case_topic_names

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "desk"
# Served by name only; the desk's modules (desk.js imports the others) must be listed here.
STATIC_FILES = {
    "desk.js": "application/javascript; charset=utf-8",
    "desk-api.js": "application/javascript; charset=utf-8",
    "desk-state.js": "application/javascript; charset=utf-8",
    "desk-view.js": "application/javascript; charset=utf-8",
    "desk-words.js": "application/javascript; charset=utf-8",
    "desk.css": "text/css; charset=utf-8",
    "insights.js": "application/javascript; charset=utf-8",
    "insights.css": "text/css; charset=utf-8",
}
STATIC_ROUTE = "/<name:(" + "|".join(name.replace(".", r"\.") for name in STATIC_FILES) + ")>"
COOKIE = "veivalg_desk"
LEAVE_QUESTION = "leave_question"
CRISIS = "crisis"  # why a case became urgent: a tag on the case, a reason in the alert
MAX_TEXT_CHARS = 10_000  # a counsellor may paste a long explanation
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[..., Awaitable[HTTPResponse]]


def error(status: int, code: str, message: str = "") -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)


def _text_from(request: Request) -> str | None:
    body = request.json if isinstance(request.json, dict) else {}
    text = body.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
        return None
    return text.strip()


class Desk:
    """What the desk does, apart from HTTP: cases, people, live events."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        engine = make_engine(settings.database_url)
        self.accounts = Accounts(engine, settings.desk_session_minutes)
        self.audit = AuditLog(engine)
        self.throttle = LoginThrottle(settings.desk_login_attempts,
                                      settings.desk_login_attempts_per_ip,
                                      settings.desk_login_pause_seconds, settings.redis_url)
        self.cases = CaseBook(engine, max_unresolved=settings.max_open_cases)
        self.undelivered = UndeliveredBook(engine)
        self.hours = OpeningHours.load(settings.opening_hours_file)
        self.hub = DeskHub(settings.desk_reconnect_seconds, self.counsellor_gone,
                           settings.redis_url)
        self.person: PersonLink | None = None

    # --- the queue as the person sees it ------------------------------------------------

    async def wait_minutes(self, position: int) -> int:
        online = max(1, len(await self.hub.online()))
        return max(1, math.ceil(position * self.settings.average_case_minutes / online))

    async def tell_queue(self, in_reply_to: str | None = None) -> None:
        """Every person in the queue gets their (new) place and expected wait; a person in
        crisis was told a counsellor comes first, and gets no number to count down.
        ``in_reply_to`` is a person whose reply already says their place: their frame is
        marked so, and a channel that shows notices as messages does not say it twice."""
        queue = await off_loop(self.cases.queue)  # in queue order: the place is the index
        for place, case in enumerate(queue, start=1):
            if case.priority == URGENT:
                continue
            await self.tell_place(case.sender_id, place, case.sender_id == in_reply_to)

    async def tell_place(self, sender_id: str, position: int, in_reply: bool = False) -> None:
        frame: dict[str, Any] = {"type": "queue", "position": position,
                                 "wait_minutes": await self.wait_minutes(position)}
        if in_reply:
            frame["in_reply"] = True
        await self.person.notify(sender_id, frame)

    async def changed(self, case: Case, *events: str) -> None:
        data = await off_loop(self.cases.as_json, case)
        for event in events:
            await self.hub.broadcast({"type": event, "case": data})

    # --- what counsellors and the action server do ----------------------------------------

    async def availability(self) -> str | None:
        """Why nobody can take a live case now, or None if someone can."""
        if not self.hours.is_open():
            return "closed"
        if not await self.hub.online():
            return "nobody_online"
        return None

    async def open_case(self, new: NewCase, alert_text: str | None = None) -> dict[str, Any]:
        reason = await self.availability()
        if reason is not None:
            return {"status": "unavailable", "reason": reason,
                    "opening_hours": self.hours.as_json()}
        try:
            case, created = await off_loop(self.cases.open, new)
        except QueueFullError:
            logger.warning("no new case: the desk's cap of unresolved cases is reached")
            return {"status": "unavailable", "reason": "queue_full",
                    "opening_hours": self.hours.as_json()}
        if created:
            metrics.HANDOFFS.inc(case.reason or "unknown")
            await self.changed(case, "conversation.created")
            if case.priority == URGENT:
                await self.alert(case, CRISIS, alert_text)
        elif new.priority == URGENT:
            case = await self.escalate(case, alert_text)
        position = await off_loop(self.cases.position, case) or 1
        queued = len(await off_loop(self.cases.queue))
        if created and case.priority != URGENT and position == queued:
            # Last in the queue: nobody else's place changed, so only the newcomer hears.
            await self.tell_place(case.sender_id, position, in_reply=True)
        else:
            await self.tell_queue(in_reply_to=case.sender_id)
        return {"status": "queued", "case": await off_loop(self.cases.as_json, case),
                "position": position,
                "wait_minutes": await self.wait_minutes(position)}

    async def escalate(self, case: Case, text: str | None = None,
                       help_lines: NotDelivered | None = None) -> Case:
        """Crisis language in a case already open: it goes first, and every desk is told
        (with ``help_lines``: why the help lines did not reach the person)."""
        case, raised = await off_loop(self.cases.escalate, case.id, CRISIS)
        if raised:
            await self.changed(case, "conversation.priority_changed")
            if case.status == PENDING:
                # The number the person was shown no longer applies: they go first.
                await self.person.notify(case.sender_id, {
                    "type": "queue", "position": None, "wait_minutes": None, "urgent": True,
                })
            await self.tell_queue()
        await self.alert(case, CRISIS, text, help_lines)
        return case

    async def alert(self, case: Case, reason: str, text: str | None = None,
                    help_lines: NotDelivered | None = None) -> None:
        """Every open desk sounds and shows a banner; ``text`` is what the person wrote.
        A counsellor must not believe the person has the help lines when they do not."""
        await self.hub.broadcast({
            "type": "conversation.urgent", "case": await off_loop(self.cases.as_json, case),
            "reason": reason, "text": text,
            "help_lines_undelivered": help_lines.as_json() if help_lines else None,
        })

    async def leave_question(self, new: NewCase) -> dict[str, Any] | None:
        """The question saved for a callback; None when the desk's cap is reached."""
        try:
            case, created = await off_loop(self.cases.open, new)
        except QueueFullError:
            logger.warning("no new callback: the desk's cap of unresolved cases is reached")
            return None
        if created:
            await self.changed(case, "conversation.created")
        return {"status": "saved", "case": await off_loop(self.cases.as_json, case)}

    async def take(self, case_id: int, counsellor: CounsellorInfo) -> Case:
        case = await off_loop(self.cases.take, case_id, counsellor.id)
        metrics.WAIT_SECONDS.observe(max(0.0, time.time() - case.waiting_since))
        await off_loop(self.audit.record, counsellor.id, case.id, case.sender_id, TAKE)
        await self.changed(case, "assignee.changed", "conversation.status_changed")
        if case.kind == "live":
            await self.person.notify(case.sender_id, {"type": "handoff", "event": "joined",
                                                      "name": counsellor.name})
            await self.tell_queue()
        return case

    async def own_open_case(self, case_id: int, counsellor: CounsellorInfo) -> Case:
        case = await off_loop(self.cases.get, case_id)
        if case.status != OPEN or case.assignee_id != counsellor.id:
            raise NotAllowedError("take the case before you write in it")
        return case

    async def say(self, case_id: int, counsellor: CounsellorInfo, text: str) -> dict[str, Any]:
        case = await self.own_open_case(case_id, counsellor)
        sent, failure = await self.person.say(case.sender_id, text, counsellor.name)
        await off_loop(self.cases.replied, case.id)
        message = _message_from(sent, counsellor.name)
        if failure is not None:
            # In the transcript, but not with the person: every desk shows why, now and later.
            logger.warning("a counsellor's message in case %s was not delivered: %s", case.id,
                           failure.reason)
            message["undelivered"] = await off_loop(self.undelivered.record, case.sender_id,
                                                    message["id"], failure)
        await self.hub.broadcast({"type": "message.created", "case_id": case.id,
                                  "message": message})
        return message

    async def transfer(self, case_id: int, counsellor: CounsellorInfo, to: int | None) -> Case:
        before = await off_loop(self.cases.get, case_id)
        if to is None:
            case = await off_loop(self.cases.move, case_id, PENDING, by=counsellor.id)
        else:
            if to not in {c.id for c in await off_loop(self.accounts.all)}:
                raise NotAllowedError("no such colleague")
            case = await off_loop(self.cases.move, case_id, OPEN, by=counsellor.id,
                                  assignee=to)
        await self.changed(case, "assignee.changed", "conversation.status_changed")
        await self.person.notify(before.sender_id, {"type": "handoff", "event": "left",
                                                    "name": counsellor.name})
        if to is not None:
            name = (await off_loop(self.cases.names)).get(to, "")
            await self.person.notify(case.sender_id, {"type": "handoff", "event": "joined",
                                                      "name": name})
        await self.tell_queue()
        return case

    async def close(self, case_id: int, counsellor: CounsellorInfo | None) -> Case:
        case = await off_loop(self.cases.move, case_id, RESOLVED,
                              by=counsellor.id if counsellor else None)
        await self.changed(case, "conversation.status_changed")
        if case.kind == "live":
            if counsellor is not None:
                await self.person.notify(case.sender_id, {"type": "handoff", "event": "left",
                                                          "name": counsellor.name})
            await self.person.resume_bot(case.sender_id)
            if counsellor is not None and case.first_reply_at is not None:
                # Optional, anonymous: bot/insights/satisfaction.py.
                await self.person.notify(case.sender_id, {"type": "rate"})
            await self.tell_queue()
        return case

    async def counsellor_gone(self, counsellor_id: int) -> None:
        """A desk that did not come back: nobody is left waiting on it."""
        name = (await off_loop(self.cases.names)).get(counsellor_id, "")
        for case in await off_loop(self.cases.open_cases_of, counsellor_id):
            moved = await off_loop(self.cases.move, case.id, PENDING, by=None)
            await self.changed(moved, "assignee.changed", "conversation.status_changed")
            await self.person.notify(case.sender_id, {"type": "handoff", "event": "left",
                                                      "name": name})
        await self.tell_queue()

    async def person_event(self, sender_id: str, event: dict[str, Any]) -> None:
        """Something the person did in a conversation that may have a case (relay)."""
        case = await off_loop(self.cases.active_for, sender_id)
        if case is None:
            return
        if event.get("event") == "typing":
            kind = "conversation.typing_on" if event.get("on") else "conversation.typing_off"
            await self.hub.broadcast({"type": kind, "case_id": case.id, "from": "user"})
            return
        if event.get("event") != "user":
            return
        crisis = said_in_crisis(event.get("parse_data"), event.get("text"))
        if not crisis and _intent_of(event) == LEAVE_QUESTION and case.status == PENDING:
            await self.leave_queue_for_question(case)
            return
        message = {"id": f"m{event.get('timestamp')!r}", "from": "user", "name": "",
                   "text": event.get("text") or "", "timestamp": event.get("timestamp")}
        if crisis:
            message["alert"] = CRISIS
        await self.hub.broadcast({"type": "message.created", "case_id": case.id,
                                  "message": message})
        if crisis:
            await self.crisis_in_handoff(case, event)

    async def crisis_in_handoff(self, case: Case, event: dict[str, Any]) -> None:
        """Crisis language while the bot is paused (in the queue, with a counsellor): the
        bot cannot answer, so the desk does. When the message itself started the handoff,
        action_crisis has answered already."""
        if not await self.person.was_paused_at(case.sender_id, event.get("timestamp")):
            return
        not_delivered = await self.person.bot_says(case.sender_id, "utter_crisis_help")
        case = await self.escalate(case, event.get("text"), help_lines=not_delivered)
        if case.status == PENDING:
            await self.person.bot_says(case.sender_id, "utter_crisis_queued")

    async def leave_queue_for_question(self, case: Case) -> None:
        """Tired of waiting: the live case ends and the bot takes the question instead."""
        closed = await off_loop(self.cases.move, case.id, RESOLVED, by=None)
        await self.changed(closed, "conversation.status_changed")
        await self.tell_queue()
        await self.person.start_intent(case.sender_id, LEAVE_QUESTION)

    async def watch_queue(self) -> None:
        """Tell a person who has waited too long, once, and offer to leave a question.
        Every replica watches; the database says which one tells (CaseBook.claim_long_wait)."""
        long_wait = self.settings.long_wait_minutes * 60
        while True:
            await asyncio.sleep(max(1.0, min(20.0, long_wait / 3)))
            try:
                queue = await off_loop(self.cases.queue)
            except Exception:  # noqa: BLE001 - the database is away: look again next round
                logger.warning("the queue could not be read; trying again")
                continue
            now = time.time()
            for case in queue:
                if _waited_too_long(case, now, long_wait):
                    await self.tell_long_wait(case, long_wait)

    async def tell_long_wait(self, case: Case, long_wait: float) -> None:
        try:
            if await off_loop(self.cases.claim_long_wait, case.id, long_wait):
                await self.person.bot_says(case.sender_id, "utter_long_wait")
        except Exception:  # noqa: BLE001 - the next round tries the others
            logger.exception("could not tell a waiting person about the wait")

    async def watch_sessions(self) -> None:
        """Close the desk sockets whose login ended elsewhere: expired, logged out on
        another replica, or the account disabled from the command line."""
        while True:
            await asyncio.sleep(self.settings.desk_session_check_seconds)
            try:
                open_here = self.hub.sessions()
                if open_here:
                    live = await asyncio.to_thread(self.accounts.live_sessions, open_here)
                    await self.hub.end_sessions(open_here - live)
            except Exception:  # noqa: BLE001 - the database is away: try again next round
                logger.warning("could not check the desk sessions")

    async def counsellor_typing(self, counsellor: CounsellorInfo, case_id: Any, on: bool) -> None:
        try:
            case = await self.own_open_case(int(case_id), counsellor)
        except (NotAllowedError, NoSuchCaseError, TypeError, ValueError):
            return
        await self.person.notify(case.sender_id, {"type": "typing", "on": bool(on),
                                                  "from": "counsellor"})


def _waited_too_long(case: Case, now: float, long_wait: float) -> bool:
    """Nobody in crisis is offered to leave a question instead of waiting."""
    return (case.kind == "live" and case.priority != URGENT and case.long_wait_told_at is None
            and now - case.waiting_since > long_wait)


def _storable_id(value: Any) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def unresolved_json(cases: CaseBook) -> list[dict[str, Any]]:
    """Every unresolved case as the desk shows it (database work: call it off the loop)."""
    return [cases.as_json(case) for case in cases.unresolved()]


def _intent_of(event: dict[str, Any]) -> str:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""


def _message_from(sent: dict[str, Any], name: str) -> dict[str, Any]:
    return {"id": f"m{sent.get('timestamp')!r}", "from": "counsellor", "name": name,
            "text": sent.get("text") or "", "timestamp": sent.get("timestamp")}


def _new_case(body: dict[str, Any], kind: str = "live") -> NewCase:
    tags = body.get("tags") or []
    return NewCase(
        sender_id=str(body["sender_id"]),
        channel=body.get("channel"),
        language=body.get("language"),
        topic=body.get("topic"),
        county=body.get("county"),
        summary=str(body.get("summary") or "")[:2000],
        priority=str(body.get("priority") or "medium"),
        tags=tuple(str(tag) for tag in tags if isinstance(tag, str)),
        kind=kind,
        question=body.get("question"),
        contact=body.get("contact"),
        reason=body.get("reason") if body.get("reason") in REASONS else None,
    )


class DeskInput(InputChannel):
    """The desk, mounted at /desk/ on the Rasa server (listed in credentials.yml)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.desk = Desk(self.settings)

    @classmethod
    def name(cls) -> str:
        return "desk"

    def url_prefix(self) -> str:
        return "/desk"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> DeskInput:
        return cls()

    # --- request helpers --------------------------------------------------------------

    async def counsellor_of(self, request: Request) -> CounsellorInfo | None:
        return await off_loop(self.desk.accounts.counsellor_for, request.cookies.get(COOKIE))

    def logged_in(self, handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            counsellor = await self.counsellor_of(request)
            if counsellor is None:
                return error(401, "not_logged_in", "log in to the desk")
            if not all(_storable_id(value) for value in kwargs.values()):
                return error(404, "no_such_case")  # a database integer holds no such id
            try:
                return await handler(request, counsellor, *args, **kwargs)
            except NoSuchCaseError:
                return error(404, "no_such_case")
            except AlreadyTakenError as refused:
                return error(409, "already_taken", str(refused))
            except NotAllowedError as refused:
                return error(409, "not_allowed", str(refused))
        return checked

    def lead_only(self, handler: Handler) -> Handler:
        """For what only a lead sees: the insights and the review queue."""
        @wraps(handler)
        async def checked(request: Request, counsellor: CounsellorInfo, *args: Any,
                          **kwargs: Any) -> HTTPResponse:
            if not counsellor.is_lead:
                return error(403, "leads_only", "only a lead sees this")
            return await handler(request, counsellor, *args, **kwargs)
        return self.logged_in(checked)

    def needs_same_origin(self, request: Request) -> bool:
        """The socket, and every API call that changes something: another site's page must
        not act with a counsellor's cookie (the cookie's SameSite is the first wall)."""
        path = request.path
        return path == f"{self.url_prefix()}/socket" or (
            path.startswith(f"{self.url_prefix()}/api/") and request.method not in SAFE_METHODS
        )

    def internal(self, handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            given = request.headers.get("authorization", "")
            expected = f"Bearer {self.settings.api_token}"
            if not self.settings.api_token or not hmac.compare_digest(given, expected):
                return error(401, "not_authorized")
            return await handler(request, *args, **kwargs)
        return checked

    # --- routes -----------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        desk = self.desk
        bp = Blueprint("veivalg_desk", url_prefix=self.url_prefix())

        @bp.middleware("request")
        async def refuse_other_sites(request: Request) -> HTTPResponse | None:
            if self.needs_same_origin(request) and not same_origin(request):
                return error(403, "origin_not_allowed", "the desk answers its own page only")
            return None

        @bp.middleware("response")
        async def security_headers(request: Request, reply: HTTPResponse) -> None:
            if reply is None:
                return  # a WebSocket
            proxies = self.settings.trusted_proxies
            is_asset = request.path.endswith((".js", ".css"))
            reply.headers.update(static_headers(request, proxies) if is_asset
                                 else page_headers(request, proxies))
            if request.path.startswith(f"{self.url_prefix()}/api/"):
                reply.headers["Cache-Control"] = "no-store"

        @bp.listener("after_server_start")
        async def connect(app: Any, _loop: Any) -> None:
            desk.person = PersonLink(app)
            await desk.hub.start()
            app.ctx.desk = desk
            broker = getattr(app.ctx.agent.tracker_store, "event_broker", None)
            if broker is not None and hasattr(broker, "attach_desk"):
                broker.attach_desk(desk)
            watcher = asyncio.ensure_future(desk.watch_queue())
            app.ctx.desk_queue_watcher = watcher
            app.ctx.desk_session_watcher = asyncio.ensure_future(desk.watch_sessions())

        @bp.listener("before_server_stop")
        async def disconnect(app: Any, _loop: Any) -> None:
            for name in ("desk_queue_watcher", "desk_session_watcher"):
                watcher = getattr(app.ctx, name, None)
                if watcher is not None:
                    watcher.cancel()
            await desk.hub.close()
            await desk.throttle.close()

        @bp.route("", methods=["GET"], strict_slashes=True)
        async def to_page(request: Request) -> HTTPResponse:
            return response.redirect(f"{self.url_prefix()}/")

        @bp.route("/", methods=["GET"], strict_slashes=True)
        async def page(request: Request) -> HTTPResponse:
            return await response.file(STATIC_DIR / "index.html", mime_type="text/html",
                                       headers={"Cache-Control": "no-store"})

        @bp.middleware("request")
        async def refuse_unstorable_json(request: Request) -> HTTPResponse | None:
            """A lone surrogate or JSON nested past Python's limits cannot be stored or
            logged: refuse it for every route here; each route checks its own fields."""
            try:
                body = request.json if request.body else None
            except InvalidUsage:
                return None
            problem = check_encodable(body) if body is not None else None
            return error(400, problem.code, problem.message) if problem else None

        @bp.route(STATIC_ROUTE, methods=["GET"])
        async def static_file(request: Request, name: str) -> HTTPResponse:
            return await response.file(STATIC_DIR / name, mime_type=STATIC_FILES[name],
                                       headers={"Cache-Control": "no-store"})

        @bp.route("/api/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            login, password = body.get("login"), body.get("password")
            if not isinstance(login, str) or not isinstance(password, str):
                return error(400, "invalid_request", "login and password are needed")
            address = client_address(request, self.settings.trusted_proxies)
            wait = await desk.throttle.attempt(login, address)
            if wait > 0:
                seconds = math.ceil(wait)
                reply = response.json({"error": "too_many_attempts", "retry_after": seconds,
                                       "message": "too many failed logins: wait, then try again"},
                                      status=429)
                reply.headers["Retry-After"] = str(seconds)
                return reply
            result = await asyncio.to_thread(desk.accounts.log_in, login, password)
            if result is None:
                return error(401, "invalid_login", "wrong login or password")
            await desk.throttle.succeeded(login, address)
            counsellor, token = result
            reply = response.json({"counsellor": counsellor.as_json()})
            reply.cookies[COOKIE] = token
            cookie = reply.cookies[COOKIE]
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["path"] = self.url_prefix()
            cookie["max-age"] = self.settings.desk_session_minutes * 60
            if came_over_tls(request, self.settings.trusted_proxies):
                cookie["secure"] = True
            return reply

        @bp.route("/api/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            ended = await off_loop(desk.accounts.log_out, request.cookies.get(COOKIE))
            if ended:
                await desk.hub.end_sessions({ended})  # the desk's socket ends with it
            reply = response.empty()
            del reply.cookies[COOKIE]
            return reply

        @bp.route("/api/me", methods=["GET"])
        @self.logged_in
        async def me(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
            return response.json({"counsellor": counsellor.as_json()})

        @bp.route("/api/cases", methods=["GET"])
        @self.logged_in
        async def cases(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
            return response.json({"cases": await off_loop(unresolved_json, desk.cases)})

        @bp.route("/api/cases/<case_id:int>", methods=["GET"])
        @self.logged_in
        async def case_detail(request: Request, counsellor: CounsellorInfo,
                              case_id: int) -> HTTPResponse:
            case = await off_loop(desk.cases.get, case_id)
            await off_loop(desk.audit.record, counsellor.id, case.id, case.sender_id, VIEW)
            tracker = await request.app.ctx.agent.tracker_store.retrieve_full_tracker(
                case.sender_id
            )
            transcript = history_frame(tracker.events if tracker else [], for_desk=True)["messages"]
            transcript = await off_loop(desk.undelivered.mark, case.sender_id, transcript)
            return response.json({
                "case": await off_loop(desk.cases.as_json, case, detail=True),
                "transcript": transcript, "notes": await off_loop(desk.cases.notes, case_id)})

        @bp.route("/api/cases/<case_id:int>/take", methods=["POST"])
        @self.logged_in
        async def take(request: Request, counsellor: CounsellorInfo, case_id: int) -> HTTPResponse:
            case = await desk.take(case_id, counsellor)
            return response.json({"case": await off_loop(desk.cases.as_json, case)})

        @bp.route("/api/cases/<case_id:int>/messages", methods=["POST"])
        @self.logged_in
        async def message(request: Request, counsellor: CounsellorInfo,
                          case_id: int) -> HTTPResponse:
            text = _text_from(request)
            if text is None:
                return error(400, "invalid_request", f"text: 1-{MAX_TEXT_CHARS} characters")
            return response.json({"message": await desk.say(case_id, counsellor, text)},
                                 status=201)

        @bp.route("/api/cases/<case_id:int>/notes", methods=["POST"])
        @self.logged_in
        async def note(request: Request, counsellor: CounsellorInfo, case_id: int) -> HTTPResponse:
            text = _text_from(request)
            if text is None:
                return error(400, "invalid_request", f"text: 1-{MAX_TEXT_CHARS} characters")
            saved = await off_loop(desk.cases.add_note, case_id, counsellor.id, text)
            await desk.hub.broadcast({"type": "note.created", "case_id": case_id, "note": saved})
            return response.json({"note": saved}, status=201)

        @bp.route("/api/cases/<case_id:int>/transfer", methods=["POST"])
        @self.logged_in
        async def transfer(request: Request, counsellor: CounsellorInfo,
                           case_id: int) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            to = body.get("to")
            if to is not None and (isinstance(to, bool) or not isinstance(to, int)):
                return error(400, "invalid_request", "to: a counsellor id or null")
            case = await desk.transfer(case_id, counsellor, to)
            return response.json({"case": await off_loop(desk.cases.as_json, case)})

        @bp.route("/api/cases/<case_id:int>/close", methods=["POST"])
        @self.logged_in
        async def close(request: Request, counsellor: CounsellorInfo, case_id: int) -> HTTPResponse:
            case = await desk.close(case_id, counsellor)
            return response.json({"case": await off_loop(desk.cases.as_json, case)})

        @bp.route("/api/cases/<case_id:int>/erase", methods=["POST"])
        @self.logged_in
        async def erase(request: Request, counsellor: CounsellorInfo, case_id: int) -> HTTPResponse:
            # On the person's request: the whole conversation, everywhere (bot/retention/).
            from bot.retention import erase_case

            return response.json(await erase_case(request.app, case_id, counsellor.id))

        insight_routes(bp, self)  # the insights page and the review queue, for leads

        @bp.route("/api/counsellors", methods=["GET"])
        @self.logged_in
        async def counsellors(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
            online = await desk.hub.online()
            return response.json({"counsellors": [
                {**c.as_json(), "online": c.id in online}
                for c in await off_loop(desk.accounts.all)
            ]})

        # Issue 14: what cases are about, in Norwegian (data/topics.yml, case_topics).
        @bp.route("/api/topics", methods=["GET"])
        @self.logged_in
        async def topics(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
            return response.json({"topics": case_topic_names("nb")})

        @bp.websocket("/socket")
        async def socket(request: Request, ws: Any) -> None:
            counsellor = await self.counsellor_of(request)
            if counsellor is None:
                await ws.close(4401, "not logged in")
                return
            await desk.hub.attach(counsellor.id, ws, session_key(request.cookies[COOKIE]))
            try:
                await ws.send(json.dumps({
                    "type": "hello", "counsellor": counsellor.as_json(),
                    "cases": await off_loop(unresolved_json, desk.cases),
                }, ensure_ascii=False))
                while True:
                    raw = await ws.recv()
                    if raw is None:
                        break
                    await self.on_desk_frame(counsellor, raw)
            except asyncio.CancelledError:
                raise
            except Exception as closed:  # noqa: BLE001 - a dropped desk ends the loop
                logger.info("desk socket closed: %s", type(closed).__name__)
            finally:
                await desk.hub.detach(counsellor.id, ws)

        @bp.route("/internal/cases", methods=["POST"])
        @self.internal
        async def open_case(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            if not isinstance(body.get("sender_id"), str):
                return error(400, "invalid_request", "sender_id is needed")
            alert_text = body.get("alert_text")
            if not isinstance(alert_text, str):
                alert_text = None
            return response.json(await desk.open_case(
                _new_case(body), alert_text[:MAX_TEXT_CHARS] if alert_text else None
            ))

        @bp.route("/internal/callbacks", methods=["POST"])
        @self.internal
        async def callback(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            if not all(isinstance(body.get(key), str) for key in ("sender_id", "contact")):
                return error(400, "invalid_request", "sender_id and contact are needed")
            saved = await desk.leave_question(_new_case(body, kind="callback"))
            if saved is None:
                return error(503, "queue_full", "the desk takes no more cases now")
            return response.json(saved)

        @bp.route("/internal/opening-hours", methods=["GET"])
        @self.internal
        async def opening_hours(request: Request) -> HTTPResponse:
            return response.json({**desk.hours.as_json(),
                                  "counsellors_online": len(await desk.hub.online())})

        return bp

    async def on_desk_frame(self, counsellor: CounsellorInfo, raw: str | bytes) -> None:
        try:
            frame = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return
        if isinstance(frame, dict) and frame.get("type") == "typing":
            await self.desk.counsellor_typing(counsellor, frame.get("case_id"),
                                              bool(frame.get("on")))
