"""Printed documents in the layout of Nghị định 30/2020 (ReportLab): score sheets, council papers,
recognition list, certificate. Qt-free; the UI previews and prints the PDFs these write."""
