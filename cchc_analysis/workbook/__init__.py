"""The units' Excel workbook: export one quarter's update sheets (:mod:`.export`), import them back into
progress/progress.csv (:mod:`.importer`); the layout both share is in :mod:`.layout`."""

from cchc_analysis.workbook.export import export_workbook
from cchc_analysis.workbook.importer import ImportResult, Update, import_workbooks

__all__ = ["ImportResult", "Update", "export_workbook", "import_workbooks"]
