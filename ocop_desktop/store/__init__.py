"""The open store: the application context (data folder, engine, the installation) handed to every
use case. No globals: the interface and the command line open a context and pass it on.
"""


from ocop_desktop.store.context import AppContext, open_context

__all__ = ["AppContext", "open_context"]
