"""The application core: use cases and rules, free of Qt (ui → ocop_desktop → database)."""

__version__ = "0.1.0"
APP_NAME = "OCOP Desktop"
