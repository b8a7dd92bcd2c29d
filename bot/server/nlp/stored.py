"""A trained component's state, pickled into Rasa's model storage and read back."""

from __future__ import annotations

import pickle
from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def save(storage: ModelStorage, resource: Resource, name: str, state: Any) -> None:
    with storage.write_to(resource) as directory, (directory / name).open("wb") as out:
        pickle.dump(state, out)


def load(storage: ModelStorage, resource: Resource, name: str) -> Any | None:
    """The state saved under ``name``, or None when the model holds none."""
    try:
        with storage.read_from(resource) as directory, (directory / name).open("rb") as stored:
            return pickle.load(stored)  # noqa: S301 - our own model file
    except (ValueError, FileNotFoundError):
        return None
