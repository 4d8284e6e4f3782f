"""Layer 2, domain: periods, scoring, targets and the plan's status rules. Pure functions over a validated
dataset: no HTML, no files, no charts.

Imports only the base modules, ``ingest`` and its own layer.
"""
