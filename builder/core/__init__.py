"""The bottom layer: what every other layer shares (errors, the row schema, edits, edit
categories, metrics, seeding, the package's data files). It imports nothing of the builder."""
