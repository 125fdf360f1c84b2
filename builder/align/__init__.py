"""Sentence alignment of garbled text against its clean reference."""

from builder.align.aligner import Aligner, AlignerParams, Group

__all__ = ["Aligner", "AlignerParams", "Group"]
