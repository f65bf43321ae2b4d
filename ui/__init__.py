"""The PySide6 interface: windows, table models, dialogs, background tasks. Calls ocop_desktop only."""
