"""Understanding a message in a worker thread, not on the Rasa server's event loop.

Rasa 3.6 runs the NLU graph synchronously inside ``MessageProcessor.parse_message``: while
one message is read (about 20 ms, most of it the sentence embedding), the event loop
serves nobody else: no other conversation's reply, no web socket, no desk. The embedding
is native code that releases the GIL, so in a thread it runs beside the loop, and on a
machine with two cores another conversation's work goes on meanwhile.

The graph's components only read their trained state, and one conversation's messages
are handled one at a time (Rasa's lock store), so a tracker is never read by two threads.
``parse_message`` here does what Rasa's does (a remote NLU server, when configured, is
still awaited as before), with the graph run moved to the pool.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

THREADS_VARIABLE = "VEIVALG_NLU_THREADS"

_parse_message = MessageProcessor.parse_message


def threads(environ: Any = os.environ) -> int:
    """Worker threads for NLU: the setting, else one per core (at most 4)."""
    setting = environ.get(THREADS_VARIABLE)
    if setting:
        return max(1, int(setting))
    return max(1, min(4, os.cpu_count() or 1))


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads(), thread_name_prefix="veivalg-nlu")


async def parse_message(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    if self.http_interpreter:
        return await _parse_message(self, message, tracker, only_output_properties)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        _pool(),
        partial(self._parse_message_with_graph, message, tracker, only_output_properties),
    )
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def apply() -> None:
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign,assignment]
