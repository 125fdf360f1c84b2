"""Operation names, as recipes and configs spell them, mapped to their classes."""

from __future__ import annotations

from builder.noise.ops.base import NoiseOp
from builder.noise.ops.char import CaseSlip, CharDelete, CharInsert, CharTranspose, Keyboard, Ocr
from builder.noise.ops.names import NameMangle
from builder.noise.ops.word import SpaceDrop, WordDrop, WordSwap

OPERATIONS: dict[str, type[NoiseOp]] = {
    op.name: op
    for op in (
        Keyboard,
        CharInsert,
        CharDelete,
        CharTranspose,
        CaseSlip,
        Ocr,
        WordDrop,
        WordSwap,
        SpaceDrop,
        NameMangle,
    )
}
