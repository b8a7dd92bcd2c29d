"""Every change Veivalg makes to Rasa 3.6's own code, in one place.

Each module here replaces or wraps one thing inside Rasa, says why, and has a test in
tests/unit/test_rasa_ext.py that fails when a Rasa upgrade moves or changes what it
relies on (the import, the name, the signature). Subclasses Rasa configures from
``endpoints.yml`` (the tracker store, the lock store, the event broker) are Rasa's
documented extension points, not patches, and live beside the code they serve.

``apply()`` is called once, before Rasa reads its files, by ``python -m bot.server.rasa_server``
(what ``make run``, the tests and the benchmarks start). Plain ``rasa`` commands run
without these changes and still work: slower action-response checks, the action server
at endpoints.yml's address without our secret (a new connection each time), the
spaCy pipeline loaded twice, the loaded model walked by every full garbage collection,
NLU on the event loop, the language read by the
action server, the graphs run through dask, the whole domain serialised twice a message to ask
whether it is empty, and TensorFlow loaded although the model
never runs it
(``without_tensorflow``, which the server starts before anything imports Rasa).
"""

from __future__ import annotations

import importlib

from bot.server.rasa_ext import lean

lean.keep_out()  # before anything imports Rasa, and Rasa TensorFlow

# Imported by apply(), not here: the server decides first whether TensorFlow is loaded
# at all (without_tensorflow.py), and these import Rasa.
PATCHES = ("action_response", "action_endpoint", "spacy_model", "nlu_thread", "local_actions",
           "frozen_heap", "graph_in_order", "domain_once")


def apply() -> None:
    for name in PATCHES:
        importlib.import_module(f"{__name__}.{name}").apply()
