"""Stage: Unicode and whitespace normalisation of both sides of each document, and the
clean side made a target (``normalize.clean``: presentation forms spelled out).

It runs before segmentation, alignment and noise (the default ``pipeline.stages``), so
every sentence span and edit offset is computed on the text as normalised."""

from __future__ import annotations

from typing import Any

from builder.pipeline.steps.base import DocStage
from builder.text.normalize import normalize_clean, normalize_text


class Normalize(DocStage):
    name = "normalize"
    inputs = ("clean", "garbled")
    outputs = ("clean", "garbled")

    def __init__(self, section: Any) -> None:
        self.form = section.unicode_form
        self.clean_mode = getattr(section, "clean", "ligatures")

    def process(self, doc: dict[str, Any]) -> dict[str, Any]:
        clean = normalize_text(normalize_clean(doc["clean"], self.clean_mode), self.form)
        return {"clean": clean, "garbled": normalize_text(doc["garbled"], self.form)}
