"""Pairing garbled documents with their clean originals by content."""

from builder.pairing.documents import PairingParams, PairResult, pair_documents

__all__ = ["PairResult", "PairingParams", "pair_documents"]
