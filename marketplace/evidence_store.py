"""Where evidence files live: a small interface, and the local store under ``HB_DATA_DIR``.

Files are named by a random key the platform makes (``new_key``), never by the uploaded name, so a
name like ``../../etc/passwd`` can neither choose nor escape the location. The directory is outside
the web root and nothing serves it: files are read only through marketplace.documents, which checks
who asks and audits each view. An S3-compatible store would implement the same three methods; it is
not written yet (docs/decisions/0038-evidence-documents-expire.md).
"""

import asyncio
import os
import re
import secrets
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    return secrets.token_hex(16)


class EvidenceStore(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class LocalStore:
    """Files in ``root`` (HB_DATA_DIR/evidence), one per key, readable by the server's user only."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key or ""):
            raise ValueError("not an evidence key")
        return self.root / key

    def _write(self, path: Path, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    async def put(self, key: str, data: bytes) -> None:
        # Off the event loop: a 10 MB write must not stall other requests.
        await asyncio.to_thread(self._write, self._path(key), data)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def store_for(settings) -> EvidenceStore:
    return LocalStore(Path(settings.data_dir) / "evidence")
