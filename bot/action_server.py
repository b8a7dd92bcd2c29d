"""The action server: rasa_sdk's, on loopback, answering only the Rasa server.

rasa_sdk listens on 0.0.0.0 and answers anyone, so a forged ``/webhook`` call could make
it open desk cases for any sender id. Here it binds ``VEIVALG_ACTION_HOST`` (127.0.0.1
by default) and ``/webhook`` needs the shared secret ``VEIVALG_ACTION_TOKEN`` in the
``X-Veivalg-Action-Token`` header, which the Rasa server sends (endpoints.yml).
``/health`` stays open for probes. The secret comes from the environment, never from
the command line, where ``ps`` would show it.

    python -m bot.action_server        # what `make run` starts (bot/commands/serve.py)
"""

from __future__ import annotations

import hmac
import logging
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.shared.settings import Settings

ACTION_TOKEN_HEADER = "X-Veivalg-Action-Token"
ACTIONS_PACKAGE = "actions"
# The Rasa server sends the conversation's window and the domain with every call: far
# below this, and far below Sanic's default of 100 MB.
MAX_REQUEST_BYTES = 8 * 1024 * 1024

logger = logging.getLogger(__name__)


def secret_problem(settings: Settings) -> str | None:
    if len(settings.action_token) < 16:
        return ("VEIVALG_ACTION_TOKEN must be set to a secret of at least 16 characters: "
                "without it the action server would answer anyone")
    return None


def build_app(settings: Settings) -> object:
    app = create_app(ACTIONS_PACKAGE, cors_origins=None)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES  # type: ignore[attr-defined]
    secret = settings.action_token.encode()

    @app.middleware("request")
    async def only_the_rasa_server(request: Request) -> HTTPResponse | None:
        if request.path.rstrip("/") == "/health":
            return None
        given = request.headers.get(ACTION_TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            return response.json({"error": "forbidden"}, status=403)
        return None

    return app


def main() -> int:
    settings = Settings.from_env()
    problem = secret_problem(settings)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = build_app(settings)
    logger.info("Action server on http://%s:%s", settings.action_host, settings.action_port)
    app.run(host=settings.action_host, port=settings.action_port,  # type: ignore[attr-defined]
            workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
