"""The build's moving parts: readers that yield documents, steps that turn documents
into rows, and writers that put rows on disk. Steps see only their own config section."""
