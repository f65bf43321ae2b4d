"""The plumbing every capability stands on: user-facing errors, where files live, logging, atomic
file writes, canonical JSON and the contract of a long job (progress, cancel). It imports no other
package of the core.
"""


from ocop_desktop.infra.errors import USER_ERRORS, NotInitialised, OcopError, ValidationFailed, user_message
from ocop_desktop.infra.logs import setup_logging
from ocop_desktop.infra.paths import resolve_data_dir, resources_dir
from ocop_desktop.infra.tasks import Cancelled, JobControl

__all__ = ["USER_ERRORS", "Cancelled", "JobControl", "NotInitialised", "OcopError", "ValidationFailed", "resolve_data_dir", "resources_dir", "setup_logging", "user_message"]
