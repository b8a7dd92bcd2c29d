"""Nothing personal outlives its purpose (#12): the purge after the retention period, and
the erasure of one conversation on request.

What a conversation leaves is in every table with a ``sender_id`` column (Rasa's
``events``, the desk's ``desk_cases``, and any table added later: they are found in the
schema, not listed here) and in every table that points at one of those by a foreign key
(a case's notes). Before its rows go, a conversation is added to ``conversation_counts``
(day, channel, written language, outcome, a count): statistics survive, people do not.

- Purge: a conversation goes when its last activity (its latest event, or the latest
  thing done with its cases) is older than ``VEIVALG_RETENTION_DAYS``, or
  ``VEIVALG_CRISIS_RETENTION_DAYS`` when it has a crisis case. A callback case loses the
  question, the contact details and the notes after ``VEIVALG_CALLBACK_RETENTION_DAYS``.
  Every Rasa server runs it hourly (one at a time), and ``python -m bot.server.retention purge``.
- Erasure: :func:`erase_everywhere` (the desk's and the web chat's delete buttons),
  :func:`erase_conversation` (given Rasa's agent or the tracker store), or
  ``python -m bot.server.retention erase SENDER_ID``.

One module per part: ``schema`` (where a conversation's rows are), ``counts`` (what
survives), ``purge``, ``erasure``, ``schedule`` (inside the server), ``command``.

docs/privacy.md is the record of what is kept, where, why and for how long.
"""

from bot.server.retention.counts import counts
from bot.server.retention.erasure import (
    erase_case,
    erase_conversation,
    erase_everywhere,
    erase_now,
    forget_cached,
    tracker_store_of,
)
from bot.server.retention.purge import PurgeReport, Retention, only_one_purger, purge, purge_once
from bot.server.retention.schedule import RetentionSchedule
from bot.server.retention.schema import DAY, ensure_indexes, in_transaction, read_schema

__all__ = [
    "DAY", "PurgeReport", "Retention", "RetentionSchedule", "counts", "ensure_indexes",
    "erase_case", "erase_conversation", "erase_everywhere", "erase_now", "forget_cached",
    "in_transaction", "only_one_purger", "purge", "purge_once", "read_schema",
    "tracker_store_of",
]
