"""Noise profiles: what real garbling does, estimated from aligned real pairs.

``categorize`` names each edit between a clean and a garbled text with a category of
``builder.core.categories``; ``estimate`` turns many pairs into a profile (per-category
rates and substitution tables); ``to_recipe`` makes a garbling recipe that reproduces
it; ``realism`` compares synthetic pairs with real ones.
"""
