"""What the programme looks like in figures: the dashboard, the store summary of ``stats`` and
the status bar, and spreadsheet exports. Printed documents are the subpackage ``reports.printing``
(kept apart so that ReportLab loads on the first print, not at start-up).
"""


from ocop_desktop.reports.dashboard import Dashboard, Row, dashboard
from ocop_desktop.reports.spreadsheets import export_dashboard, export_producers, export_products
from ocop_desktop.reports.stats import summary as store_summary

__all__ = ["Dashboard", "Row", "dashboard", "export_dashboard", "export_producers", "export_products", "store_summary"]
