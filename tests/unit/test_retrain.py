"""make retrain-compare's verdict: after is worse when accuracy or out-of-domain answers
move by more than a point, or any crisis message is missed or raised more."""

from __future__ import annotations

import pytest

from bench.retrain import Figures, rows, worse

BEFORE = Figures(accuracy={"all": (900, 1000), "nb": (450, 500)}, crisis_found=(95, 100),
                 crisis_false=(2, 100), ood_wrong=(20, 500))


def after(**changes: object) -> Figures:
    return Figures(**{**BEFORE.__dict__, **changes})


@pytest.mark.parametrize(("changed", "problems"), [
    ({}, []),
    ({"accuracy": {"all": (895, 1000), "nb": (440, 500)}}, []),  # half a point: noise
    ({"accuracy": {"all": (880, 1000), "nb": (440, 500)}}, ["held-out accuracy"]),
    ({"crisis_found": (94, 100)}, ["crisis messages recognised"]),
    ({"crisis_false": (3, 100)}, ["crisis false alarms"]),
    ({"ood_wrong": (30, 500)}, ["out-of-domain messages answered"]),
    ({"ood_wrong": (10, 500), "crisis_found": (100, 100)}, []),  # better is not worse
])
def test_the_verdict(changed: dict, problems: list[str]) -> None:
    assert worse(BEFORE, after(**changed)) == problems


def test_the_table_shows_each_figure_before_and_after() -> None:
    table = rows(BEFORE, after(accuracy={"all": (910, 1000), "nb": (460, 500)}))
    assert table[0] == ["held-out accuracy, all", "900/1000 (90.0%)", "910/1000 (91.0%)", "+1.0"]
    assert [row[0] for row in table[2:]] == ["crisis held-out recognised",
                                             "crisis held-out false alarms",
                                             "out of domain answered (MASSIVE dev)"]
