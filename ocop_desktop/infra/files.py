"""Writing a file so that nobody ever sees half of it: build it beside the target under a temporary
name, flush it to disk, then rename it into place; on any failure the temporary file is removed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ocop_desktop.infra.errors import OcopError


@contextmanager
def replaced_atomically(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block ends normally it becomes ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".ocop-", suffix=target.suffix + ".part", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise OcopError(f"Không ghi được vào thư mục '{folder}'.", f"cannot write in {folder}: {exc}") from exc
    temp = Path(name)
    try:
        yield temp
        with temp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OcopError(f"Không ghi được tệp '{target.name}'.", f"write {target}: {exc}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
