"""An installation's life on one machine: set-up (unit, level, officer, language), the demo
store, and the backups of the store with their restore.
"""


from ocop_desktop.installation.backups import RESTORED_NOTE, list_backups, restore_backup
from ocop_desktop.installation.demo import create_demo, has_demo
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.installation.setup import set_language as save_language

__all__ = ["RESTORED_NOTE", "create_demo", "has_demo", "init_installation", "list_backups", "restore_backup", "save_language"]
