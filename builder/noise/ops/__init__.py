"""Garbling operations: one class per kind of noise, all built on ``base.NoiseOp``."""
