"""Qt table models that show lists the core returns as plain tuples."""
