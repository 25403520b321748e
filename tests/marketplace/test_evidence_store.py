"""The local evidence store takes only the platform's own random keys: no name from outside can
choose or escape its directory."""

import pytest

from marketplace.evidence_store import LocalStore, new_key


async def test_keys_are_random_hex_and_nothing_else_is_a_path(tmp_path):
    store = LocalStore(tmp_path / "evidence")
    key = new_key()
    await store.put(key, b"%PDF-")
    assert await store.get(key) == b"%PDF-" and len(key) == 32
    assert (tmp_path / "evidence" / key).stat().st_mode & 0o777 == 0o600
    for bad in ("../secret.key", "..", "/etc/passwd", key + "/x", key.upper(), ""):
        with pytest.raises(ValueError):
            await store.put(bad, b"x")
        with pytest.raises(ValueError):
            await store.get(bad)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]
    with pytest.raises(FileExistsError):
        await store.put(key, b"again")  # a file is never overwritten
    await store.delete(key)
    assert not (tmp_path / "evidence" / key).exists()
