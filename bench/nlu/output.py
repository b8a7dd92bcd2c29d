"""Where the figures go: tables and notes to stdout, the same as markdown in
reports/nlu/report.md, and the held-out confusion matrix beside it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from bench.common import heading, table
from bot.shared.settings import PROJECT_DIR

REPORT_DIR = PROJECT_DIR / "reports" / "nlu"
REPORT_NAME = "report.md"
CONFUSION_NAME = "confusion_ours.png"


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def line(values: Sequence[object]) -> str:
        return "| " + " | ".join(str(value).replace("|", "\\|") for value in values) + " |"

    return "\n".join([line(headers), "|" + "---|" * len(headers), *(line(row) for row in rows)])


class Output:
    """Tables and notes to stdout, and the same as markdown for reports/nlu/report.md."""

    def __init__(self) -> None:
        self.markdown: list[str] = []

    def heading(self, title: str) -> None:
        heading(title)
        self.markdown += [f"## {title}", ""]

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]],
              left: Sequence[int] = (0,)) -> None:
        print(table(headers, rows, left=left), flush=True)
        self.markdown += [md_table(headers, rows), ""]

    def note(self, text: str) -> None:
        print(text, flush=True)
        self.markdown += [text, ""]

    def markdown_only(self, text: str) -> None:
        self.markdown += [text, ""]


def rel(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(PROJECT_DIR))
    return str(path)


def plot_confusion(truth: Sequence[str], predicted: Sequence[str], path: Path,
                   title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(truth) | set(predicted))
    matrix = confusion_matrix(truth, predicted, labels=labels)
    size = max(6.0, 0.32 * len(labels) + 3.0)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)))
    axes.set_yticks(range(len(labels)))
    axes.set_xticklabels(labels, rotation=90, fontsize=7)
    axes.set_yticklabels(labels, fontsize=7)
    axes.set_xlabel("predicted intent (the classifier's own, before fallback)")
    axes.set_ylabel("true intent")
    axes.set_title(title, fontsize=9)
    high = matrix.max() if matrix.size else 0
    for row in range(len(labels)):
        for column in range(len(labels)):
            count = int(matrix[row, column])
            if count:
                axes.text(column, row, str(count), ha="center", va="center", fontsize=6,
                          color="white" if count > high / 2 else "black")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)


def reports_ignored() -> bool | None:
    """Whether git ignores reports/ (None when git cannot tell)."""
    import subprocess

    try:
        result = subprocess.run(["git", "check-ignore", "-q", "reports/nlu/report.md"],
                                cwd=PROJECT_DIR, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: True, 1: False}.get(result.returncode)
