"""Whether the loaded domain is empty, decided once instead of on every message.

Rasa 3.6 checks each parsed message's intent and entities against the domain, and first
asks ``Domain.is_empty()``, which serialises the whole domain (every response in three
languages) and an empty one and compares the two: about 2 ms of the event loop per
message on a 2-core machine (py-spy, sequential load), a tenth of a reply. A domain does
not change once built (Rasa makes a new one to merge or reload), so the answer is kept
on the instance the first time it is asked.
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain

_is_empty = Domain.is_empty
_ANSWER = "_veivalg_is_empty"


def is_empty(self: Domain) -> bool:
    answer = self.__dict__.get(_ANSWER)
    if answer is None:
        answer = self.__dict__[_ANSWER] = _is_empty(self)
    return answer


def apply() -> None:
    Domain.is_empty = is_empty  # type: ignore[method-assign]
