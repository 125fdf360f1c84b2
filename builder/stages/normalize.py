"""Stage: Unicode and whitespace normalisation of both sides of each document."""

from __future__ import annotations

from typing import Any

from builder.normalize import normalize_text
from builder.stages.base import DocStage


class Normalize(DocStage):
    name = "normalize"
    inputs = ("clean", "garbled")
    outputs = ("clean", "garbled")

    def __init__(self, cfg: Any) -> None:
        self.form = cfg.normalize.unicode_form

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        return {"clean": normalize_text(doc["clean"], self.form), "garbled": normalize_text(doc["garbled"], self.form)}
