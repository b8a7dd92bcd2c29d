"""The desk's routes for leads: the insights page and its API, the review queue of
unanswered messages, and their export as training data (docs/desk-api.md). Mounted on the
desk's blueprint, behind its login, origin checks and security headers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server.database import off_loop
from bot.server.handoff.accounts import CounsellorInfo
from bot.server.insights.queries import MAX_DAYS, insights
from bot.server.insights.review import (
    LabelError,
    check_label,
    export_yaml,
    label_messages,
    review_queue,
)

if TYPE_CHECKING:
    from bot.server.handoff.desk import DeskInput

# Chart.js for the insights page, served from here (static/desk/vendor/README.md).
CHART_JS = "chart.umd.min.js"
SCRIPT = "application/javascript; charset=utf-8"


def _error(status: int, code: str, message: str = "") -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)


def days_asked(request: Request, default: int = 7) -> int | None:
    """The period asked for (?days=N), or None when it is not a whole number 1-MAX_DAYS."""
    given = request.args.get("days", str(default))
    if not given.isascii() or not given.isdigit() or not 1 <= int(given) <= MAX_DAYS:
        return None
    return int(given)


def model_intents(request: Request) -> list[str]:
    """The intents the loaded model knows, for labels of an existing intent."""
    domain = getattr(getattr(request.app.ctx, "agent", None), "domain", None)
    return [name for name in (domain.intents if domain else []) if name != "nlu_fallback"]


def insight_routes(bp: Blueprint, channel: DeskInput) -> None:
    from bot.server.handoff.desk import STATIC_DIR

    prefix = channel.url_prefix()
    engine = channel.desk.cases.engine
    bad_days = f"days: a whole number 1-{MAX_DAYS}"

    @bp.route(f"/vendor/{CHART_JS}", methods=["GET"])
    async def chart_library(request: Request) -> HTTPResponse:
        return await response.file(STATIC_DIR / "vendor" / CHART_JS, mime_type=SCRIPT,
                                   headers={"Cache-Control": "public, max-age=86400"})

    @bp.route("/insights", methods=["GET"], strict_slashes=True)
    async def to_insights(request: Request) -> HTTPResponse:
        return response.redirect(f"{prefix}/insights/")

    @bp.route("/insights/", methods=["GET"], strict_slashes=True)
    async def insights_page(request: Request) -> HTTPResponse:
        # The page asks the API, which says who may see what (401, 403).
        return await response.file(STATIC_DIR / "insights.html", mime_type="text/html",
                                   headers={"Cache-Control": "no-store"})

    @bp.route("/api/insights", methods=["GET"])
    @channel.lead_only
    async def insights_view(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
        days = days_asked(request)
        if days is None:
            return _error(400, "invalid_request", bad_days)
        return response.json(await off_loop(insights, engine, days))

    @bp.route("/api/unanswered", methods=["GET"])
    @channel.lead_only
    async def unanswered(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
        days = days_asked(request)
        if days is None:
            return _error(400, "invalid_request", bad_days)
        return response.json(await off_loop(review_queue, engine, days, model_intents(request)))

    @bp.route("/api/unanswered/label", methods=["POST"])
    @channel.lead_only
    async def label(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
        body = request.json if isinstance(request.json, dict) else {}
        try:
            intent = check_label(body.get("label"), body.get("intent"), model_intents(request))
            labelled = await off_loop(label_messages, engine, body.get("ids"), body["label"],
                                      intent)
        except LabelError as refused:
            return _error(400, "invalid_request", str(refused))
        return response.json({"labelled": labelled})

    @bp.route("/api/unanswered.yml", methods=["GET"])
    @channel.lead_only
    async def unanswered_yaml(request: Request, counsellor: CounsellorInfo) -> HTTPResponse:
        return response.text(
            await off_loop(export_yaml, engine), content_type="application/x-yaml; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="unanswered.yml"'})
