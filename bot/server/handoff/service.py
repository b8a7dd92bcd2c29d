"""What the counsellor desk does, apart from HTTP: cases and queue places, taking, saying,
transferring and closing, crisis escalation and alerts, and the watchers of long waits and
ended logins. The routes that call it: bot/server/handoff/desk.py. API: docs/desk-api.md.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Any

from bot.server import metrics
from bot.server.channels.delivery_report import FAILED, UNREACHABLE, NotDelivered
from bot.server.database import make_engine, off_loop
from bot.server.handoff.accounts import Accounts, CounsellorInfo
from bot.server.handoff.audit import TAKE, AuditLog
from bot.server.handoff.cases import (
    OPEN,
    PENDING,
    RESOLVED,
    URGENT,
    Case,
    CaseBook,
    NewCase,
    NoSuchCaseError,
    NotAllowedError,
    QueueFullError,
)
from bot.server.handoff.hub import DeskHub
from bot.server.handoff.opening_hours import OpeningHours
from bot.server.handoff.person import PersonLink
from bot.server.handoff.throttle import LoginThrottle
from bot.server.handoff.undelivered import UndeliveredBook
from bot.shared.crisis import CHECK_KEY, REPLAYED_KEY, said_in_crisis
from bot.shared.settings import Settings

logger = logging.getLogger(__name__)

LEAVE_QUESTION = "leave_question"
CRISIS = "crisis"  # why a case became urgent: a tag on the case, a reason in the alert


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
            await self.tell_place(case, place, case.sender_id == in_reply_to)

    async def tell_place(self, case: Case, position: int, in_reply: bool = False) -> None:
        frame: dict[str, Any] = {"type": "queue", "position": position,
                                 "wait_minutes": await self.wait_minutes(position)}
        if in_reply:
            frame["in_reply"] = True
        await self.notify(case, frame)

    async def notify(self, case: Case, frame: dict[str, Any],
                     counsellor_id: int | None = None) -> None:
        """A notice to the person in ``case`` (queue place, a counsellor joined or left,
        the rating request). One that did not reach them is told to every desk, on the
        case: a counsellor must not believe the person heard it. ``counsellor_id``: whom
        a joined or left notice names."""
        failure = await self.person.notify(case.sender_id, frame)
        if failure is None:
            return
        notice = frame.get("event") if frame.get("type") == "handoff" else frame.get("type")
        logger.warning("the %s notice in case %s was not delivered (%s: %s)", notice, case.id,
                       failure.channel, failure.reason)
        event: dict[str, Any] = {"type": "notice.undelivered", "case_id": case.id,
                                 "notice": notice, "undelivered": failure.as_json()}
        if frame.get("type") == "handoff":
            event["counsellor"] = {"id": counsellor_id, "name": frame.get("name", "")}
        await self.hub.broadcast(event)

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
            await self.tell_place(case, position, in_reply=True)
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
                await self.notify(case, {
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

    async def help_lines_undelivered(self, sender_id: str, failure: NotDelivered) -> None:
        """The bot's help lines, in a turn of the person's, did not reach them (their
        channel says so: bot/server/channels/help_lines.py). ``action_crisis`` has opened the
        urgent case and the desks were told the person has the help lines: tell them
        again, with why not. Without an urgent case (nobody online, the desk closed, a
        typed "/crisis") no desk believes it; the log says so."""
        case = await off_loop(self.cases.active_for, sender_id)
        if case is None or case.priority != URGENT:
            logger.error("the help lines did not reach a person (%s: %s); no urgent case at "
                         "the desk", failure.channel, failure.reason)
            return
        logger.warning("the help lines did not reach the person in case %s (%s: %s)",
                       case.id, failure.channel, failure.reason)
        await self.alert(case, CRISIS, help_lines=failure)

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
            await self.notify(case, {"type": "handoff", "event": "joined",
                                     "name": counsellor.name}, counsellor.id)
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
        await self.notify(before, {"type": "handoff", "event": "left",
                                   "name": counsellor.name}, counsellor.id)
        if to is not None:
            name = (await off_loop(self.cases.names)).get(to, "")
            await self.notify(case, {"type": "handoff", "event": "joined", "name": name}, to)
        await self.tell_queue()
        return case

    async def close(self, case_id: int, counsellor: CounsellorInfo | None) -> Case:
        case = await off_loop(self.cases.move, case_id, RESOLVED,
                              by=counsellor.id if counsellor else None)
        await self.changed(case, "conversation.status_changed")
        if case.kind == "live":
            if counsellor is not None:
                await self.notify(case, {"type": "handoff", "event": "left",
                                         "name": counsellor.name}, counsellor.id)
            await self.person.resume_bot(case.sender_id)
            if counsellor is not None and case.first_reply_at is not None:
                # Optional, anonymous: bot/server/insights/satisfaction.py.
                await self.notify(case, {"type": "rate"})
            await self.tell_queue()
        return case

    async def counsellor_gone(self, counsellor_id: int) -> None:
        """A desk that did not come back: nobody is left waiting on it."""
        name = (await off_loop(self.cases.names)).get(counsellor_id, "")
        for case in await off_loop(self.cases.open_cases_of, counsellor_id):
            moved = await off_loop(self.cases.move, case.id, PENDING, by=None)
            await self.changed(moved, "assignee.changed", "conversation.status_changed")
            await self.notify(moved, {"type": "handoff", "event": "left", "name": name},
                              counsellor_id)
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
        if event.get("event") != "user" or (event.get("metadata") or {}).get(REPLAYED_KEY):
            return  # a message put back after the bot's question about it: shown already
        crisis = said_in_crisis(event.get("parse_data"), event.get("text"))
        if not crisis and _intent_of(event) == LEAVE_QUESTION and case.status == PENDING:
            await self.leave_queue_for_question(case)
            return
        message = {"id": f"m{event.get('timestamp')!r}", "from": "user", "name": "",
                   "text": event.get("text") or "", "timestamp": event.get("timestamp")}
        if crisis:
            message["alert"] = CRISIS
        elif (event.get("parse_data") or {}).get(CHECK_KEY):
            # Perhaps crisis language: the counsellor sees it marked; the bot asks only
            # when it has the conversation.
            message["alert"] = CHECK_KEY
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
            if not await off_loop(self.cases.claim_long_wait, case.id, long_wait):
                return
        except Exception:  # noqa: BLE001 - the database is away: the next round tries again
            logger.exception("could not claim the long-wait reminder")
            return
        try:
            not_delivered = await self.person.bot_says(case.sender_id, "utter_long_wait")
        except Exception:  # noqa: BLE001 - the claim is released below
            logger.exception("could not tell a waiting person about the wait")
            not_delivered = NotDelivered(FAILED)
        # Not sent, or the service was away: another round, on any replica, tries again. A
        # person who blocked the bot or whom the service refuses is not asked again.
        if not_delivered is not None and not_delivered.reason in (FAILED, UNREACHABLE):
            await off_loop(self.cases.release_long_wait, case.id)

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


def _intent_of(event: dict[str, Any]) -> str:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""


def _message_from(sent: dict[str, Any], name: str) -> dict[str, Any]:
    return {"id": f"m{sent.get('timestamp')!r}", "from": "counsellor", "name": name,
            "text": sent.get("text") or "", "timestamp": sent.get("timestamp")}
