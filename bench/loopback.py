"""An aiohttp app served on 127.0.0.1 from a thread of this process: the fake Telegram
Bot API (bench/fake_telegram.py) and the fake Messenger Send API (tests/fake_messenger.py)."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web


class LoopbackApp:
    """Subclasses have a ``port`` and add their routes in :meth:`routes`."""

    port: int

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def start(self) -> None:
        started = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            self.routes(app)
            runner = web.AppRunner(app)
            self._loop.run_until_complete(runner.setup())
            self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            started.set()
            self._loop.run_forever()
            self._loop.run_until_complete(runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        started.wait(10)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
