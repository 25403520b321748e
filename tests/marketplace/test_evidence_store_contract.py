"""One contract for every evidence store (decision 0038): only the platform's keys, a key written
once, a missing key is FileNotFoundError, deleting a missing key is no error. It runs against
LocalStore always and against the S3-compatible store when HB_EVIDENCE_S3_URL (and
HB_EVIDENCE_S3_BUCKET, and keys unless boto3 finds its own) name a real one, e.g. a local MinIO.

Without a store to talk to, S3Store's requests are still checked here without any network: the
SDK's own Stubber (botocore.stub) checks the parameters of each call, and a ``before-send`` hook of
botocore's event system catches the signed HTTP request it would send (method, path-style URL,
If-None-Match, the SigV4 Authorization header) and answers it in place of the store."""

import os
import uuid

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from core.settings import Settings
from marketplace.evidence_store import LocalStore, S3Store, new_key, store_for

BAD_KEYS = ("../secret.key", "..", "/etc/passwd", "a" * 32 + "/x", "A" * 32, "")


def _real_s3() -> S3Store:
    env = os.environ
    return S3Store(env["HB_EVIDENCE_S3_URL"], env.get("HB_EVIDENCE_S3_BUCKET") or "hb-evidence-test",
                   access_key=env.get("HB_EVIDENCE_S3_ACCESS_KEY"), secret_key=env.get("HB_EVIDENCE_S3_SECRET_KEY"),
                   region=env.get("HB_EVIDENCE_S3_REGION"))


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "evidence")
    if not os.environ.get("HB_EVIDENCE_S3_URL"):
        pytest.skip("no S3-compatible store to test against: set HB_EVIDENCE_S3_URL and HB_EVIDENCE_S3_BUCKET "
                    "(and HB_EVIDENCE_S3_ACCESS_KEY / HB_EVIDENCE_S3_SECRET_KEY) to run the contract on one, "
                    "e.g. a local MinIO; S3Store's requests are checked offline below either way")
    return _real_s3()


async def test_a_document_is_written_once_read_back_and_deleted(store):
    key = new_key()
    data = b"%PDF-1.4\n" + uuid.uuid4().bytes * 1000
    await store.put(key, data)
    assert await store.get(key) == data
    with pytest.raises(FileExistsError):
        await store.put(key, b"%PDF- another")  # never overwritten
    assert await store.get(key) == data
    await store.delete(key)
    with pytest.raises(FileNotFoundError):
        await store.get(key)
    await store.delete(key)  # deleting what is not there is no error


async def test_only_the_platforms_keys_reach_the_store(store):
    for bad in BAD_KEYS:
        with pytest.raises(ValueError):
            await store.put(bad, b"x")
        with pytest.raises(ValueError):
            await store.get(bad)
        with pytest.raises(ValueError):
            await store.delete(bad)


async def test_a_missing_key_is_file_not_found(store):
    with pytest.raises(FileNotFoundError):
        await store.get(new_key())


# ----- S3Store's requests, offline -----


def _offline_store() -> S3Store:
    return S3Store("https://objects.example.invalid", "hb-evidence", access_key="AKIDEXAMPLE",
                   secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region="eu-north-1")


async def test_s3_calls_name_the_bucket_the_prefixed_key_and_write_only_if_absent():
    store = _offline_store()
    key = new_key()
    with Stubber(store.client) as stub:
        stub.add_response("put_object", {"ETag": '"1"'}, {
            "Bucket": "hb-evidence", "Key": f"evidence/{key}", "Body": b"%PDF-x", "IfNoneMatch": "*",
            "ContentType": "application/octet-stream"})
        stub.add_client_error("put_object", service_error_code="PreconditionFailed", http_status_code=412)
        stub.add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404,
                              expected_params={"Bucket": "hb-evidence", "Key": f"evidence/{key}"})
        stub.add_response("delete_object", {}, {"Bucket": "hb-evidence", "Key": f"evidence/{key}"})
        await store.put(key, b"%PDF-x")
        with pytest.raises(FileExistsError):
            await store.put(key, b"%PDF-x")
        with pytest.raises(FileNotFoundError):
            await store.get(key)
        await store.delete(key)
        stub.assert_no_pending_responses()


async def test_the_signed_request_s3_store_would_send():
    store = _offline_store()
    sent = []

    def answer(request, **_):
        sent.append(request)
        response = AWSResponse(request.url, 200, {"ETag": '"1"'}, None)
        response._content = b""  # noqa: SLF001 - the raw body botocore reads
        return response

    store.client.meta.events.register("before-send.s3.PutObject", answer)
    key = new_key()
    await store.put(key, b"%PDF-1.4 data")
    [request] = sent
    assert request.method == "PUT"
    assert request.url == f"https://objects.example.invalid/hb-evidence/evidence/{key}"  # path style
    headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    assert headers["if-none-match"] == "*"
    assert headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/eu-north-1/s3/aws4_request" in headers["authorization"]
    assert "x-amz-content-sha256" in headers


def test_the_settings_choose_the_store(tmp_path):
    local = store_for(Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "x" * 40}))
    assert isinstance(local, LocalStore) and local.root == tmp_path / "evidence"
    s3 = store_for(Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "x" * 40,
                                      "HB_EVIDENCE_S3_URL": "http://127.0.0.1:9000", "HB_EVIDENCE_S3_BUCKET": "hb-docs",
                                      "HB_EVIDENCE_S3_ACCESS_KEY": "minio", "HB_EVIDENCE_S3_SECRET_KEY": "minio-secret"}))
    assert isinstance(s3, S3Store) and s3.bucket == "hb-docs"
    assert s3.client.meta.endpoint_url == "http://127.0.0.1:9000"
    with pytest.raises(ValueError, match="HB_EVIDENCE_S3_BUCKET"):
        Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "x" * 40, "HB_EVIDENCE_S3_URL": "http://s3"})
