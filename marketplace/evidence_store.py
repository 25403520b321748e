"""Where evidence files live: a small interface, and the local store under ``HB_DATA_DIR``.

Files are named by a random key the platform makes (``new_key``), never by the uploaded name, so a
name like ``../../etc/passwd`` can neither choose nor escape the location. The directory is outside
the web root and nothing serves it: files are read only through marketplace.documents, which checks
who asks and audits each view. With ``HB_EVIDENCE_S3_URL`` and ``HB_EVIDENCE_S3_BUCKET`` set the files
go to an S3-compatible object store instead (``S3Store``, through boto3), under the same keys with
the prefix ``evidence/``; the bucket must not be public (docs/decisions/0038-evidence-documents-expire.md).

Both stores keep one contract (tests/marketplace/test_evidence_store_contract.py): only the
platform's keys are accepted (``ValueError`` otherwise), a key is written once (``FileExistsError``
for a second write), a missing key is ``FileNotFoundError``, and deleting a missing key is no error.
"""

import asyncio
import os
import re
import secrets
import tarfile
from pathlib import Path
from typing import Any, Protocol


_KEY = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    return secrets.token_hex(16)


class EvidenceStore(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


def _checked(key: str) -> str:
    if not _KEY.match(key or ""):
        raise ValueError("not an evidence key")
    return key


class LocalStore:
    """Files in ``root`` (HB_DATA_DIR/evidence), one per key, readable by the server's user only."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

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


class S3Store:
    """Objects ``<prefix><key>`` in an S3-compatible bucket (AWS S3, MinIO, Ceph, UpCloud, ...).

    boto3 signs each request (SigV4) and is synchronous, so every call runs in a thread. Writes are
    conditional (``If-None-Match: *``), so a key is never overwritten even by a second server;
    path-style addressing works with stores that have no per-bucket host names. Credentials are
    the ones given, else boto3's own chain (environment, instance role)."""

    PREFIX = "evidence/"

    def __init__(self, endpoint_url: str, bucket: str, *, access_key: str | None = None, secret_key: str | None = None,
                 region: str | None = None, client: Any = None):
        # boto3 is imported here, not with the module: it takes a sixth of a second, paid otherwise
        # by every `hb` command and server start that never uses an S3 store.
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.client = client or boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url, region_name=region or "us-east-1",
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", connect_timeout=5,
                          read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}))

    def _put(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.PREFIX + key, Body=data, IfNoneMatch="*",
                                   ContentType="application/octet-stream")
        except _client_error() as exc:
            if _code(exc) in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
                raise FileExistsError(key) from None
            raise

    def _get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.PREFIX + key)
        except _client_error() as exc:
            if _code(exc) in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(key) from None
            raise
        with answer["Body"] as body:
            return body.read()

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, _checked(key), data)

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get, _checked(key))

    async def delete(self, key: str) -> None:
        # S3 answers 204 for a key that is not there, as LocalStore's missing_ok.
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self.PREFIX + _checked(key))


def _client_error() -> type[Exception]:
    from botocore.exceptions import ClientError

    return ClientError


def _code(exc: Exception) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def store_for(settings) -> EvidenceStore:
    """The S3-compatible store when ``HB_EVIDENCE_S3_URL`` is set, else the files under
    ``HB_DATA_DIR/evidence``."""
    if settings.evidence_s3_url:
        return S3Store(settings.evidence_s3_url, settings.evidence_s3_bucket, access_key=settings.evidence_s3_access_key,
                       secret_key=settings.evidence_s3_secret_key, region=settings.evidence_s3_region)
    return LocalStore(Path(settings.data_dir) / "evidence")


# --- Backup of the local store (hb backup / hb restore) -----------------------------------------


def local_root(settings) -> Path | None:
    """The local store's directory, or None when documents live in an S3-compatible store (whose
    own versioning or replication backs them up)."""
    return None if settings.evidence_s3_url else Path(settings.data_dir) / "evidence"


def archive(root: Path, target: Path) -> int:
    """Every evidence file under ``root`` into the tar ``target`` (members named by their keys,
    nothing else); the number of files. Files are never changed once written, so a copy taken
    after the database's backup has every document the database names (a document's file is
    written before its row commits)."""
    keys = sorted(p.name for p in root.iterdir() if p.is_file() and _KEY.match(p.name)) if root.is_dir() else []
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w") as tar:
        for key in keys:
            info = tar.gettarinfo(str(root / key), arcname=key)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o600
            with open(root / key, "rb") as fh:
                tar.addfile(info, fh)
    os.replace(partial, target)
    return len(keys)


def check_archive(source: Path) -> int:
    """The number of evidence files in a backup's archive; ``ValueError`` (or ``tarfile.TarError``)
    when it holds anything else, so ``hb restore`` can refuse before it changes anything."""
    with tarfile.open(source, "r") as tar:
        members = tar.getmembers()
    for m in members:
        if not m.isfile() or not _KEY.match(m.name):
            raise ValueError(f"{source} holds {m.name!r}, which is not an evidence file")
    return len(members)


def restore_archive(source: Path, root: Path) -> int:
    """Put back the files of a backup's evidence archive that ``root`` lacks (keys are random and
    never reused, so a file already there is the same document); the number written. A member
    that is not a regular file named by a key is refused before anything is written."""
    check_archive(source)
    with tarfile.open(source, "r") as tar:
        members = tar.getmembers()
        store = LocalStore(root)
        written = 0
        for m in members:
            if (root / m.name).exists():
                continue
            store._write(root / m.name, tar.extractfile(m).read())  # noqa: SLF001 - the same exclusive 0600 write
            written += 1
    return written
