"""The application core: use cases and rules, free of Qt (ui → ocop_desktop → database).

Each capability is a package whose ``__init__`` is its public surface (docs/architecture.md has
the map); this file holds only the name and version, so that importing the core loads nothing else.
"""

__version__ = "0.1.0"
APP_NAME = "OCOP Desktop"

__all__ = ["APP_NAME", "__version__"]
