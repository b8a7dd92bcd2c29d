"""The counsellor desk: a Rasa input channel that serves /desk/ on the Rasa server.

Counsellors log in, see the queue live, take cases, chat with the person through the
person's own channel, leave notes, transfer and close. The action server opens cases
through the internal endpoints. These are the routes; what they ask the desk to do is
bot/server/handoff/service.py. API: docs/desk-api.md.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import math
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.channels.frames import history_frame
from bot.server.channels.incoming import check_encodable
from bot.server.channels.security_headers import (
    came_over_tls,
    client_address,
    page_headers,
    same_origin,
    static_headers,
)
from bot.server.database import off_loop
from bot.server.handoff.accounts import CounsellorInfo, session_key
from bot.server.handoff.audit import VIEW
from bot.server.handoff.cases import (
    AlreadyTakenError,
    CaseBook,
    NewCase,
    NoSuchCaseError,
    NotAllowedError,
)
from bot.server.handoff.person import PersonLink
from bot.server.handoff.service import Desk
from bot.server.insights.queries import REASONS
from bot.server.insights.views import insight_routes
from bot.shared.settings import Settings
from bot.shared.topics import case_topic_names

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[2] / "static" / "desk"
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


def _storable_id(value: Any) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def unresolved_json(cases: CaseBook) -> list[dict[str, Any]]:
    """Every unresolved case as the desk shows it (database work: call it off the loop)."""
    return [cases.as_json(case) for case in cases.unresolved()]


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
            # On the person's request: the whole conversation, everywhere (bot/server/retention/).
            from bot.server.retention import erase_case

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
