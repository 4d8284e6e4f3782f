"""Layer 1, ingest: read CSV/XLSX files, parse values, check every table against its contract and the tables
against each other, and hand over a validated :class:`~cchc_analysis.ingest.dataset.Dataset`.

Imports only the base modules (``config``, ``errors``, ``fmt``, ``files``) and its own layer.
"""
