"""Every setting and endpoint an operator can use is documented in docs/."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.shared.settings import PROJECT_DIR

DOCS = "\n".join(path.read_text(encoding="utf-8") for path in (PROJECT_DIR / "docs").glob("*.md"))
# The scale-out settings are documented with the deployment.
OPERATOR_DOCS = DOCS + (PROJECT_DIR / "deploy" / "README.md").read_text(encoding="utf-8")


def test_every_environment_setting_is_documented() -> None:
    settings = {name for path in (PROJECT_DIR / "bot").rglob("*.py")
                for name in re.findall(r'"(VEIVALG_[A-Z_]+)"', path.read_text(encoding="utf-8"))}
    assert "VEIVALG_DATABASE_URL" in settings, "no settings found: has bot/ changed shape?"
    undocumented = {name for name in settings if f"`{name}`" not in OPERATOR_DOCS}
    assert not undocumented


def test_every_channel_is_documented() -> None:
    credentials = yaml.safe_load(Path(PROJECT_DIR / "credentials.yml").read_text()) or {}
    for channel in credentials:
        name = channel.rsplit(".", 1)[-1]
        assert name in DOCS or f"/webhooks/{channel}/" in DOCS, channel
    assert "/webhooks/rest/webhook" in DOCS
