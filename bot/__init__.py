"""Veivalg: the service around Rasa, grouped by the process each module runs in.

- ``bot/server/``: the Rasa server (channels, the desk, understanding, storage, our
  changes to Rasa);
- ``bot/action_server.py``: the action server, with the custom actions in ``actions/``;
- ``bot/shared/``: what both server processes import (settings, the knowledge, the crisis
  words, the written language); nothing else of ``bot/`` may reach the action server
  (tests/unit/test_process_boundaries.py);
- ``bot/static/``: what the browser runs (the chat widget and the counsellors' desk);
- ``bot/commands/``: what ``make`` and operators start (both servers, the cluster, data
  and link checks).
"""
