"""The dialogue policy that puts a crisis message before whatever the bot was doing.

Rasa's RulePolicy keeps an active form going ("happy path") and that prediction beats
every other policy, so a rule alone cannot interrupt the callback, county or occupation
form. This policy predicts ``action_crisis`` after any message understood as crisis
language, in every state the bot answers in, and marks the prediction the same way the
form's is marked, with a higher priority, so it wins. A message that may be crisis
language (``crisis_check`` in its parse data) gets the question how the person is, with
the help lines, in the same way; the answer decides (actions/crisis.py
``ActionCrisisCheckAnswered``).
While a counsellor has the conversation the bot is paused and no policy runs: the desk
takes over there (``bot.server.handoff.service.Desk.person_event``).
"""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.shared.after_help_lines import (
    asks_who_answers_now,
    refuses_help,
    says_they_will_call,
)
from bot.shared.crisis import (
    CHECK_AGAIN_RESPONSE,
    CHECK_ANSWERED_ACTION,
    CHECK_KEY,
    CHECK_RESPONSE,
    CRISIS_ACTION,
    CRISIS_INTENT,
)

AFFIRM, DENY = "affirm", "deny"
# Right after the help lines: whether someone answers now ("kan jeg ringe noen nå? klokka
# er over 12"), and the ways to write for someone who does not dare to call.
LINES_OPEN_RESPONSE = "utter_crisis_lines_open"
WRITE_INSTEAD_RESPONSE = "utter_crisis_stay"
WILL_CALL_RESPONSE = "utter_crisis_will_call"
OPENING_HOURS = "ask_opening_hours"
# What the bot said last when the help lines were the latest thing it gave.
AFTER_HELP_LINES = frozenset({CRISIS_ACTION, LINES_OPEN_RESPONSE, WRITE_INSTEAD_RESPONSE,
                              WILL_CALL_RESPONSE})

# Above RulePolicy (6): on a tie between "no user" predictions, priority decides.
PRIORITY = 7


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class CrisisFirstPolicy(Policy):
    """Help lines first: ``action_crisis`` after a crisis message, then listen."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {POLICY_PRIORITY: PRIORITY}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing is learnt; the resource must exist for the policy to be loaded.
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = next_action(tracker)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # "No user" predictions (an active form's) overrule all others; ours must be one
        # too, and then the higher priority decides.
        return self._prediction(probabilities, is_no_user_prediction=True)


def next_action(tracker: DialogueStateTracker) -> str | None:
    """``action_crisis`` right after a crisis message; the question how the person is
    (``utter_crisis_check``) right after a message that may be one, and what their answer
    means (``action_crisis_check_answered``) right after a yes or a no to it, or to the
    question asked again; right after the help lines, a message about reaching them gets
    its answer (``about_the_help_lines``); listen after the help lines and the question."""
    latest_action = tracker.latest_action_name
    if latest_action in AFTER_HELP_LINES | {CHECK_RESPONSE, CHECK_AGAIN_RESPONSE}:
        return ACTION_LISTEN_NAME
    if latest_action != ACTION_LISTEN_NAME or tracker.latest_message is None:
        return None
    intent = (tracker.latest_message.intent or {}).get("name")
    if intent == CRISIS_INTENT:
        return CRISIS_ACTION
    if tracker.latest_message.parse_data.get(CHECK_KEY):
        return CHECK_RESPONSE
    # (one walk of the events for both questions below)
    before = action_before_latest_message(tracker)
    if before in AFTER_HELP_LINES:
        return about_the_help_lines(intent, tracker.latest_message.text or "")
    if intent in (AFFIRM, DENY) and before in (CHECK_RESPONSE, CHECK_AGAIN_RESPONSE):
        return CHECK_ANSWERED_ACTION
    return None


def about_the_help_lines(intent: str | None, text: str) -> str | None:
    """The reply to a message right after the help lines that is about reaching them:
    whether anyone answers now (the hours asked, too: the counsellors' chat may be closed,
    the lines are not), the ways to write for someone afraid to call, or a word of
    support for someone who says they will call."""
    if refuses_help(text):
        return WRITE_INSTEAD_RESPONSE
    if intent == OPENING_HOURS or asks_who_answers_now(text):
        return LINES_OPEN_RESPONSE
    if says_they_will_call(text):
        return WILL_CALL_RESPONSE  # "ok. jeg ringer sammen med henne nå. takk"
    return None


def action_before_latest_message(tracker: DialogueStateTracker) -> str | None:
    """The bot's last action before it listened for the latest message."""
    listened = False
    for event in reversed(tracker.applied_events()):
        listened = listened or isinstance(event, UserUttered)
        if (listened and isinstance(event, ActionExecuted)
                and event.action_name != ACTION_LISTEN_NAME):
            return event.action_name
    return None
