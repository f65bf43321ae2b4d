"""The one write path for synchronised rows (insert, update, tombstone delete, restore) with its
version stamping and the hash-chained audit log; paged list requests, field validation and search
keys shared by every record kind.
"""


from ocop_desktop.records.audit import ChainReport
from ocop_desktop.records.audit import verify as verify_audit_chain
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.records.write import get_any, get_live, insert, set_deleted, update

__all__ = ["ChainReport", "ListRequest", "get_any", "get_live", "insert", "set_deleted", "update", "verify_audit_chain"]
