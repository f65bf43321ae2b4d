"""Persistence layer: SQLModel tables, the engine, Alembic migrations.

This package is the lowest layer: it imports neither ``ocop_desktop`` nor ``ui`` nor Qt.
"""
