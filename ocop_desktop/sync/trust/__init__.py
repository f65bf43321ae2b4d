"""Who may send what: this installation's signing key, enrolment of a commune's key at the province,
the trust store, the province's versioned trust root (TUF-style) with its updates, and the clock
high-water mark that expiry is judged against.
"""


from ocop_desktop.sync.trust.enrolment import (
    accept_enrolment,
    create_device_key,
    device_key_path,
    export_enrolment_request,
    read_enrolment_request,
    replace_device_key,
    revoke_key,
    trusted_keys,
)
from ocop_desktop.sync.trust.keys import grouped as grouped_fingerprint
from ocop_desktop.sync.trust.updates import SUFFIX as TRUST_FILE_SUFFIX
from ocop_desktop.sync.trust.updates import (
    Signer,
    TrustStatus,
    TrustUpdate,
    create_root_key,
    import_trust,
    pending_changes,
    root_key_paths,
)
from ocop_desktop.sync.trust.updates import current as current_trust_version
from ocop_desktop.sync.trust.updates import export_chain as write_trust_file
from ocop_desktop.sync.trust.updates import genesis as trust_genesis_fingerprint
from ocop_desktop.sync.trust.updates import init_root as init_trust_root
from ocop_desktop.sync.trust.updates import publish as publish_trust_version
from ocop_desktop.sync.trust.updates import status as trust_status

__all__ = ["TRUST_FILE_SUFFIX", "Signer", "TrustStatus", "TrustUpdate", "accept_enrolment", "create_device_key", "create_root_key", "current_trust_version", "device_key_path", "export_enrolment_request", "grouped_fingerprint", "import_trust", "init_trust_root", "pending_changes", "publish_trust_version", "read_enrolment_request", "replace_device_key", "revoke_key", "root_key_paths", "trust_genesis_fingerprint", "trust_status", "trusted_keys", "write_trust_file"]
