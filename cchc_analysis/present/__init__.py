"""Layer 3, present: what a reader sees. Autoescaped HTML fragments, charts, and the builders of the score
review, the progress review and the leadership briefing.

Imports only the base modules, ``ingest``, ``domain`` and its own layer.
"""
