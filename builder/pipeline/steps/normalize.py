"""Stage: Unicode and whitespace normalisation of both sides of each document."""

from __future__ import annotations

from typing import Any

from builder.pipeline.steps.base import DocStage
from builder.text.normalize import normalize_text


class Normalize(DocStage):
    name = "normalize"
    inputs = ("clean", "garbled")
    outputs = ("clean", "garbled")

    def __init__(self, section: Any) -> None:
        self.form = section.unicode_form

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        return {"clean": normalize_text(doc["clean"], self.form), "garbled": normalize_text(doc["garbled"], self.form)}
