"""Signed sync packages (issues 5 and 6): keys, trust, package format, export, verification, import."""
