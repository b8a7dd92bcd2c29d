"""Our changes to Rasa's code (bot/server/rasa_ext/): each does what Rasa did, or what we need,
and each fails here loudly when a Rasa upgrade moves what it relies on."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.engine.graph import GraphComponent
from rasa.engine.runner.dask import DaskGraphRunner

from bot.action_server import ACTION_TOKEN_HEADER
from bot.server import rasa_ext
from bot.server.rasa_ext import graph_in_order
from bot.server.rasa_ext.action_endpoint import our_action_endpoint
from bot.server.rasa_ext.action_response import validate_action_result

SCHEMA = RemoteAction.action_response_format_spec()

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "nn"}], "responses": []},
    {"events": [], "responses": [{"text": "Hei", "buttons": []}]},
    {},
    {"events": [{"event": "bot", "text": "Hei", "data": {"buttons": []}, "metadata": None},
                {"event": "followup", "name": "utter_crisis_check_again"},
                {"event": "active_loop", "name": None, "timestamp": 1.5},
                {"event": "user", "text": "hei", "parse_data": {
                    "intent": {"name": "greet", "confidence": 0.9}, "entities": []}}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "slot", "name": 5}]},
    {"responses": "x"},
    # Each event is checked against its own kind, and only that kind.
    {"events": [{"event": "no_such_kind"}]},
    {"events": [{"event": "slot", "name": "language"}, {"event": "followup", "name": 3}]},
    {"events": [{"event": "user", "text": 7}]},
    {"events": [{"event": "bot", "text": "Hei", "timestamp": "today"}]},
    {"events": [{"event": 5}]},
    {"events": None},
    {"events": ["slot"]},
]


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_both_checks(result: dict) -> None:
    jsonschema.validate(result, SCHEMA)
    assert validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_both_checks(result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, SCHEMA)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        validate_action_result(None, result)


def test_a_valid_response_is_checked_against_each_events_own_kind_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.server.rasa_ext import action_response

    checks = action_response._validators()
    assert len(checks.kinds) == len(SCHEMA["properties"]["events"]["items"]["oneOf"])

    def every_kind(result: dict) -> None:
        raise AssertionError("the full check ran for a valid response")

    monkeypatch.setattr(checks.full, "iter_errors", every_kind)
    for result in VALID:
        assert validate_action_result(None, result) is True


# --- the action endpoint: plain Rasa in the repository, our secret when we start it ------

def test_plain_rasa_reads_a_usable_action_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import AvailableEndpoints

    from bot.shared.settings import PROJECT_DIR

    for name in ("VEIVALG_ACTION_URL", "VEIVALG_ACTION_PORT", "VEIVALG_ACTION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # Rasa's own reader, as `rasa shell` uses it: no variable left unexpanded.
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_DIR / "endpoints.yml"))
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"


def test_started_through_us_the_server_sends_our_port_and_secret() -> None:
    from rasa.utils.endpoints import EndpointConfig

    read = EndpointConfig(url="http://127.0.0.1:5055/webhook")
    ours = our_action_endpoint(read, {"VEIVALG_ACTION_PORT": "6123",
                                      "VEIVALG_ACTION_TOKEN": "en-hemmelighet-123456"})
    assert ours.url == "http://127.0.0.1:6123/webhook"
    assert ours.headers == {ACTION_TOKEN_HEADER: "en-hemmelighet-123456"}
    elsewhere = our_action_endpoint(read, {"VEIVALG_ACTION_URL": "http://actions:80/webhook",
                                           "VEIVALG_ACTION_PORT": "6123"})
    assert elsewhere.url == "http://actions:80/webhook"
    assert our_action_endpoint(read, {}).url == read.url


def test_the_fix_is_applied_to_rasas_reader(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import AvailableEndpoints

    restore_after(monkeypatch)
    rasa_ext.apply()
    path = tmp_path / "endpoints.yml"
    path.write_text("action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n")
    monkeypatch.setenv("VEIVALG_ACTION_PORT", "6124")
    monkeypatch.setenv("VEIVALG_ACTION_TOKEN", "en-hemmelighet-654321")
    monkeypatch.delenv("VEIVALG_ACTION_URL", raising=False)
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    assert endpoints.action.url == "http://127.0.0.1:6124/webhook"
    assert endpoints.action.headers[ACTION_TOKEN_HEADER] == "en-hemmelighet-654321"


def restore_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa as it was, after the test: each patched attribute set back by monkeypatch."""
    from rasa.core.utils import AvailableEndpoints
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    monkeypatch.setattr(AvailableEndpoints, "read_endpoints", AvailableEndpoints.read_endpoints)
    monkeypatch.setattr(RemoteAction, "_validate_action_result",
                        RemoteAction._validate_action_result)
    monkeypatch.setattr(SpacyNLP, "load_model", SpacyNLP.load_model)
    monkeypatch.setattr(MessageProcessor, "parse_message", MessageProcessor.parse_message)
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.run)


# --- one spaCy pipeline per process -------------------------------------------------------

def test_the_spacy_pipeline_is_loaded_once_for_both_graph_nodes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    from bot.shared.settings import PROJECT_DIR

    restore_after(monkeypatch)
    rasa_ext.apply()
    config = {**SpacyNLP.get_default_config(), "model": str(PROJECT_DIR / "build/spacy-nb")}
    provider = SpacyNLP.create(config, None, None, None)  # type: ignore[arg-type]
    runner = SpacyNLP.create(config, None, None, None)  # type: ignore[arg-type]
    assert provider.provide().model is runner.provide().model


# --- NLU in a worker thread ---------------------------------------------------------------

class ThreadNoting(MessageProcessor):
    """Rasa's processor with the graph replaced by a note of the thread it ran in."""

    def __init__(self) -> None:
        self.http_interpreter = None
        self.steps: list[tuple[str, str]] = []

    def _parse_message_with_graph(self, message, tracker=None, only_output_properties=True):
        import threading

        self.steps.append(("graph", threading.current_thread().name))
        return {"text": message.text, "intent": {"name": "greet"}, "entities": []}

    def _update_full_retrieval_intent(self, parse_data) -> None:
        self.steps.append(("retrieval", parse_data["intent"]["name"]))

    def _check_for_unseen_features(self, parse_data) -> None:
        self.steps.append(("unseen", parse_data["intent"]["name"]))


async def test_the_graph_runs_in_a_worker_thread_and_rasas_other_steps_follow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.channels.channel import UserMessage

    restore_after(monkeypatch)
    rasa_ext.apply()
    processor = ThreadNoting()
    parsed = await processor.parse_message(UserMessage("hei", sender_id="s-1"))
    assert parsed["intent"]["name"] == "greet"
    (step, thread), *rest = processor.steps
    assert step == "graph" and thread.startswith("veivalg-nlu")
    assert rest == [("retrieval", "greet"), ("unseen", "greet")]


def test_nlu_threads_follow_the_setting_or_the_cores() -> None:
    from bot.server.rasa_ext.nlu_thread import threads

    assert threads({"VEIVALG_NLU_THREADS": "3"}) == 3
    assert 1 <= threads({}) <= 4


# --- the domain goes only to the actions that read it --------------------------------

def _reads_the_domain(cls: type) -> bool:
    """Whether the class's own code (and its bases in our package) looks into ``domain``
    or hands it to a helper; a signature or ``.run(dispatcher, tracker, domain)`` does not."""
    import inspect
    import io
    import tokenize

    for klass in cls.__mro__:
        if not klass.__module__.startswith("actions"):
            continue
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(
            inspect.getsource(klass)).readline) if t.type in (tokenize.NAME, tokenize.OP)]
        for before, token, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
            if token.string != "domain":
                continue
            if after.string in (".", "[") or (before.string == "(" and after.string == ")"):
                return True
    return False


def test_every_action_that_reads_the_domain_is_sent_it() -> None:
    import yaml
    from rasa.shared.core.domain import Domain
    from rasa_sdk.executor import ActionExecutor

    from bot.shared.settings import PROJECT_DIR

    for endpoints in ("endpoints.yml", "deploy/endpoints.yml"):
        config = yaml.safe_load((PROJECT_DIR / endpoints).read_text(encoding="utf-8"))
        assert config["action_endpoint"].get("enable_selective_domain") is True, endpoints
    domain = Domain.load(PROJECT_DIR / "domain.yml")
    executor = ActionExecutor()
    executor.register_package("actions")
    readers = {name for name, run in executor.actions.items()
               if _reads_the_domain(type(run.__self__))}
    assert {"action_take_offer", "action_resume_form"} <= readers  # the check finds them
    not_sent = {name for name in readers if not name.startswith("validate_")
                and not domain.does_custom_action_explicitly_need_domain(name)}
    assert not_sent == set(), "mark them `send_domain: true` in domain.yml"


# --- what the changes rely on in Rasa 3.6 -----------------------------------------------

def test_rasa_still_has_what_our_changes_replace() -> None:
    import inspect

    from rasa.core.utils import AvailableEndpoints
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    assert list(inspect.signature(RemoteAction._validate_action_result).parameters) == [
        "self", "result"]
    assert "jsonschema" in inspect.getsource(RemoteAction._validate_action_result)
    assert isinstance(inspect.getattr_static(AvailableEndpoints, "read_endpoints"),
                      classmethod)
    assert list(inspect.signature(AvailableEndpoints.read_endpoints).parameters) == [
        "endpoint_file"]
    assert isinstance(inspect.getattr_static(SpacyNLP, "load_model"), staticmethod)
    assert list(inspect.signature(SpacyNLP.load_model).parameters) == ["spacy_model_name"]
    # The graph loads the pipeline through load_model from create (one per graph node).
    assert "cls.load_model(" in inspect.getsource(SpacyNLP.create)
    # Our parse_message does the steps of Rasa's, with the graph run in a thread.
    parse = inspect.getsource(MessageProcessor.parse_message)
    assert list(inspect.signature(MessageProcessor.parse_message).parameters) == [
        "self", "message", "tracker", "only_output_properties"]
    for step in ("self.http_interpreter", "self._parse_message_with_graph(",
                 "self._update_full_retrieval_intent(", "self._check_for_unseen_features("):
        assert step in parse, step
    assert parse.count("self.") == 5, "Rasa's parse_message does more than ours now"
    # The local action answers as the action server would, and is applied as Rasa does.
    remote = inspect.getsource(RemoteAction.run)
    for step in ("self._action_call_format(", "self._validate_action_result(",
                 "self._utter_responses(", "events.deserialise_events("):
        assert step in remote, step
    assert list(inspect.signature(RemoteAction.run).parameters) == [
        "self", "output_channel", "nlg", "tracker", "domain"]
    # Rasa asks the endpoint for a session for each request, and closes it after.
    from rasa.utils.endpoints import EndpointConfig

    assert "async with self.session() as session" in inspect.getsource(EndpointConfig.request)



async def test_the_loaded_model_is_frozen_out_of_the_collectors_full_passes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import inspect

    from rasa.core import run

    from bot.server.rasa_ext import frozen_heap

    # Rasa registers the loader by its module-level name when the server starts.
    assert "partial(load_agent_on_start," in inspect.getsource(run.serve_application)
    assert list(inspect.signature(frozen_heap._load_agent_on_start).parameters) == [
        "model_path", "endpoints", "remote_storage", "app", "loop"]

    loaded = object()

    async def load(*args: Any, **kwargs: Any) -> object:
        return loaded

    monkeypatch.setattr(frozen_heap, "_load_agent_on_start", load)
    monkeypatch.setattr(run, "load_agent_on_start", run.load_agent_on_start)
    frozen_heap.apply()
    try:
        assert await run.load_agent_on_start("model", None, None, None, None) is loaded
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

def test_the_domain_is_asked_once_whether_it_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    from rasa.shared.core.domain import Domain

    from bot.server.rasa_ext import domain_once
    from bot.shared.settings import PROJECT_DIR

    # Rasa asks on every parsed message, before it warns of unknown intents.
    assert "self.domain.is_empty()" in inspect.getsource(
        MessageProcessor._check_for_unseen_features)
    assert "as_dict()" in inspect.getsource(domain_once._is_empty)

    monkeypatch.setattr(Domain, "is_empty", Domain.is_empty)
    domain_once.apply()
    ours = Domain.load(PROJECT_DIR / "domain.yml")
    empty = Domain.empty()
    assert ours.is_empty() is False and empty.is_empty() is True
    assert Domain.from_dict({"intents": ["greet"]}).is_empty() is False
    serialised = []
    monkeypatch.setattr(Domain, "as_dict",
                        lambda self: serialised.append(self) or {"other": "dict"})
    assert ours.is_empty() is False and empty.is_empty() is True
    assert serialised == [], "the domain was serialised again"


# --- libraries kept out of the Rasa server's memory ---------------------------------------

def test_the_rasa_server_process_runs_without_jax_and_tensorflow_still_loads() -> None:
    import subprocess
    import sys

    from bot.shared.settings import PROJECT_DIR

    script = ("import sys, bot.server.rasa_ext, rasa.core.agent, tensorflow.lite.python.util; "
              "assert 'jaxlib' not in sys.modules, 'JAX was imported'")
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_tensorflow_still_imports_jax_only_where_a_missing_jax_is_expected() -> None:
    import re
    from pathlib import Path

    import tensorflow

    root = Path(tensorflow.__file__).parent
    sources = [path for path in root.rglob("*.py") if "test" not in path.name
               and re.search(r"^\s*(?:from jax\b|import jax\b)", path.read_text(
                   encoding="utf-8", errors="replace"), re.MULTILINE)]
    assert [str(path.relative_to(root)) for path in sources] == ["lite/python/util.py"]
    text = (root / "lite/python/util.py").read_text(encoding="utf-8")
    assert re.search(r"try:\s*\n\s*from jax import xla_computation.*\n\s*except ImportError",
                     text), "TensorFlow no longer guards its JAX import"


# --- the language read in the Rasa server ----------------------------------------------------

def conversation_saying(text: str, domain: Any) -> Any:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    said = UserUttered(text, {"name": "ask_higher_education_deadline", "confidence": 0.9})
    return DialogueStateTracker.from_events("s-lang", [ActionExecuted("action_listen"), said],
                                            slots=domain.slots)


async def test_the_language_is_read_without_the_action_server_and_other_actions_still_go_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import EndpointConfig

    from bot.shared.settings import PROJECT_DIR

    restore_after(monkeypatch)
    rasa_ext.apply()
    domain = Domain.load(str(PROJECT_DIR / "domain.yml"))
    nobody = EndpointConfig(url="http://127.0.0.1:9/webhook")  # nothing listens there
    tracker = conversation_saying("Kva er fristen for å søkje på høgskulen?", domain)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    said = await RemoteAction("action_detect_language", nobody).run(
        CollectingOutputChannel(), nlg, tracker, domain)
    assert SlotSet("language", "nn") in said
    with pytest.raises(RasaException):
        await RemoteAction("action_answer_question", nobody).run(
            CollectingOutputChannel(), nlg, tracker, domain)


# --- one kept-alive connection pool to the action server --------------------------------------

async def test_requests_to_the_action_server_share_one_connection() -> None:
    from aiohttp import web

    peers: list[Any] = []

    async def answer(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        endpoint = our_action_endpoint(None, {"VEIVALG_ACTION_URL":
                                              f"http://127.0.0.1:{port}/webhook"})
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "x"}) == {
                "events": [], "responses": []}
        assert len(peers) == 3 and len(set(peers)) == 1, peers
        await endpoint.close()
    finally:
        await runner.cleanup()


async def test_the_local_language_action_gets_no_history_and_still_lets_an_offer_lapse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.server.rasa_ext.local_actions import local_call
    from bot.shared.settings import PROJECT_DIR

    restore_after(monkeypatch)
    rasa_ext.apply()
    domain = Domain.load(str(PROJECT_DIR / "domain.yml"))
    history = [event for _ in range(200) for event in (
        ActionExecuted("action_listen"), UserUttered("hei", {"name": "greet", "confidence": 1}))]
    said = UserUttered("Kva er fristen for å søkje på høgskulen?",
                       {"name": "ask_higher_education_deadline", "confidence": 0.9})
    tracker = DialogueStateTracker.from_events(
        "s-long", [*history, SlotSet("offered_intent", "leave_question"),
                   ActionExecuted("action_listen"), said], slots=domain.slots)
    call = local_call("action_detect_language", tracker)
    assert call["tracker"]["events"] == [] and call["domain"] == {}
    assert call["tracker"]["latest_message"]["text"] == said.text
    assert call["tracker"]["slots"]["offered_intent"] == "leave_question"
    nobody = EndpointConfig(url="http://127.0.0.1:9/webhook")
    events = await RemoteAction("action_detect_language", nobody).run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
        tracker, domain)
    assert SlotSet("language", "nn") in events
    assert SlotSet("offered_intent", None) in events


# --- the graphs' nodes in a plain loop ----------------------------------------------------

class Number(GraphComponent):
    """A node that adds what it needs to its configured number; fails on a negative."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.number = config["number"]

    @classmethod
    def create(cls, config, model_storage, resource, execution_context):  # noqa: ANN001
        return cls(config)

    def add(self, **needs: int) -> int:
        total = self.number + sum(needs.values())
        if total < 0:
            raise RuntimeError("negative")
        return total


def small_graph(tmp_path) -> DaskGraphRunner:  # noqa: ANN001
    """message -> a -> b, message -> c; b and c -> d."""
    from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    def node(needs: dict[str, str], number: int) -> SchemaNode:
        return SchemaNode(needs=needs, uses=Number, constructor_name="create", fn="add",
                          config={"number": number}, is_target=True)

    schema = GraphSchema({
        "a": node({"x": "__message__"}, 1), "b": node({"x": "a"}, 10),
        "c": node({"x": "__message__"}, 100), "d": node({"x": "b", "y": "c"}, 1000),
    })
    return DaskGraphRunner.create(schema, LocalModelStorage(tmp_path),
                                  ExecutionContext(schema, "test"), [])


@pytest.mark.parametrize("targets", [None, ["d"], ["b"], ["c", "a"]])
def test_the_graph_in_order_gives_what_dask_gives(
        tmp_path, monkeypatch: pytest.MonkeyPatch, targets: list[str] | None) -> None:
    runner = small_graph(tmp_path)
    with_dask = graph_in_order.RASA_RUN(runner, {"__message__": 5}, targets)
    monkeypatch.setattr(DaskGraphRunner, "run", graph_in_order.run)
    assert runner.run({"__message__": 5}, targets) == with_dask
    assert runner.run({"__message__": 6}, targets) != with_dask  # not a stale result
    if targets is None:
        assert with_dask == {"a": 6, "b": 16, "c": 105, "d": 1121}


def test_the_graph_in_order_fails_as_dask_does(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.engine.exceptions import GraphComponentException, GraphRunError

    runner = small_graph(tmp_path)
    monkeypatch.setattr(DaskGraphRunner, "run", graph_in_order.run)
    # A node's error, wrapped by Rasa's GraphNode, is reported as Rasa's runner does.
    with pytest.raises(GraphComponentException):
        runner.run({"__message__": -500}, ["a"])
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        runner.run({"__message__": "a"}, ["b"])


def test_rasas_runner_still_runs_the_graph_as_the_loop_expects() -> None:
    import inspect

    assert list(inspect.signature(graph_in_order.RASA_RUN).parameters) == [
        "self", "inputs", "targets"]
    source = inspect.getsource(graph_in_order.RASA_RUN)
    for step in ("self._graph_schema.target_names", "minimal_graph_schema(",
                 "self._build_dask_graph(", "dask.get(", "GraphRunError"):
        assert step in source, step
    assert "self._instantiated_nodes[node_name]" in inspect.getsource(
        DaskGraphRunner._build_dask_graph)
