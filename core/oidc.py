"""The relying party of strong e-ID over OpenID Connect, following the Finnish Trust Network OIDC
profile (Traficom 213/2023 S): signed request objects (JAR), ``private_key_jwt`` client
authentication with ``kid`` and ``jti``, PKCE S256, and an encrypted (JWE) ID token whose inner
signature is checked against the issuer's JWKS.

All JOSE work is joserfc's; this module only says which keys, algorithms and claims. The issuer's
metadata and JWKS are fetched from its discovery document and cached; an ID token signed with a key
the cache does not know makes one refetch (the issuer rotated its keys), at most once per
``UNKNOWN_KID_REFETCH_SECONDS`` so forged key ids cannot make the platform hammer the issuer.

Nothing here touches the database or a person's account: ``core.eid`` runs the sign-in.
"""

import base64
import hashlib
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import msgspec
from joserfc import jwe, jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from core.identity import VerifiedIdentity

# Suomi.fi e-Identification names the personal identity code (henkilötunnus) by the OID of the
# population register's attribute; a broker may call it otherwise (HB_OIDC_NATIONAL_ID_CLAIM).
NATIONAL_ID_CLAIM = "urn:oid:1.2.246.21"
# What the platform accepts from an issuer: signatures of the ID token, and the key management and
# content encryption of its JWE. "none", HMAC and RSA1_5 are never accepted.
ID_TOKEN_SIGNING_ALGS = ("RS256", "PS256", "ES256", "RS512", "PS512", "ES384")
ID_TOKEN_KEY_ALGS = ("RSA-OAEP-256", "RSA-OAEP", "ECDH-ES", "ECDH-ES+A256KW", "ECDH-ES+A128KW")
ID_TOKEN_CONTENT_ENCS = ("A256GCM", "A128GCM", "A128CBC-HS256", "A256CBC-HS512")
# The platform's own signatures (request object, client assertion): the first signing key of the
# JWKS file, with its alg (RS256 when the key does not say).
# Issuers add header parameters of their own beside alg/enc/kid/cty (e.g. a key's thumbprint):
# harmless unless marked critical, which joserfc still enforces.
JWE_REGISTRY = jwe.JWERegistry(algorithms=[*ID_TOKEN_KEY_ALGS, *ID_TOKEN_CONTENT_ENCS], strict_check_header=False)
CLOCK_LEEWAY_SECONDS = 60
REQUEST_OBJECT_SECONDS = 300
METADATA_SECONDS = 3600
UNKNOWN_KID_REFETCH_SECONDS = 30
HTTP_TIMEOUT = httpx.Timeout(10.0)
KINDS = ("eid", "staff")


class OidcError(Exception):
    """The sign-in could not be completed; ``reason`` names the step (for the audit log and the
    page), never personal data."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class IssuerConfig(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # "eid" (clients, Suomi.fi) or "staff" (the organisation's identity provider)
    issuer: str
    client_id: str
    jwks_file: str
    national_id_claim: str = NATIONAL_ID_CLAIM


def issuer_config(settings, kind: str) -> IssuerConfig | None:
    """The issuer configured for ``kind``, or None when e-ID of that kind is not set up (then no
    button is shown and the routes answer 404)."""
    if kind == "eid":
        issuer, client_id = settings.oidc_issuer, settings.oidc_client_id
    elif kind == "staff":
        issuer, client_id = settings.oidc_staff_issuer, settings.oidc_staff_client_id
    else:
        return None
    if not (issuer and client_id and settings.oidc_jwks_file):
        return None
    return IssuerConfig(kind=kind, issuer=issuer.rstrip("/"), client_id=client_id, jwks_file=settings.oidc_jwks_file,
                        national_id_claim=settings.oidc_national_id_claim or NATIONAL_ID_CLAIM)


# --- The platform's keys ---------------------------------------------------------------------


class PlatformKeys:
    """The private keys of ``HB_OIDC_JWKS_FILE``: one signs request objects and client assertions
    (``use: sig``), the others decrypt ID tokens (``use: enc``). The public half of both is what
    the platform registers with the issuer (``public_jwks``)."""

    def __init__(self, key_set: KeySet) -> None:
        signing = [k for k in key_set if k.get("use") in (None, "sig") and k.get("use") != "enc"]
        decrypting = [k for k in key_set if k.get("use") == "enc"]
        if not signing or not decrypting:
            raise OidcError("config", "HB_OIDC_JWKS_FILE needs a signing key (use sig) and a decryption key (use enc)")
        for key in signing + decrypting:
            if not key.kid:
                raise OidcError("config", "every key in HB_OIDC_JWKS_FILE needs a kid")
            if not key.is_private:
                raise OidcError("config", "HB_OIDC_JWKS_FILE must hold private keys")
        self.signing = signing[0]
        self.signing_alg = self.signing.get("alg") or "RS256"
        self.decryption = KeySet(decrypting)

    def public_jwks(self) -> dict:
        return {"keys": [self.signing.as_dict(private=False), *(k.as_dict(private=False) for k in self.decryption)]}


_keys_cache: dict[tuple[str, float], PlatformKeys] = {}


def platform_keys(path: str) -> PlatformKeys:
    """The keys of the file, read again when the file changes (a key rollover is a file swap)."""
    file = Path(path)
    try:
        stamp = file.stat().st_mtime
        cached = _keys_cache.get((path, stamp))
        if cached is None:
            cached = PlatformKeys(KeySet.import_key_set(msgspec.json.decode(file.read_bytes())))
            _keys_cache.clear()
            _keys_cache[(path, stamp)] = cached
        return cached
    except (OSError, msgspec.DecodeError, ValueError, JoseError) as exc:
        raise OidcError("config", f"HB_OIDC_JWKS_FILE unreadable: {type(exc).__name__}") from None


# --- The issuer's metadata and keys ------------------------------------------------------------


class Metadata(msgspec.Struct, frozen=True, kw_only=True):
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


_metadata_cache: dict[str, tuple[float, Metadata]] = {}
# jwks_uri → (fetched at, keys, last refetch made for an unknown kid)
_jwks_cache: dict[str, tuple[float, KeySet, float]] = {}


def forget_cached(issuer: str | None = None) -> None:
    """Drop what is cached about one issuer (or all): for an operator's rollover, and tests."""
    for key in [k for k in _metadata_cache if issuer is None or k == issuer]:
        _metadata_cache.pop(key, None)
    if issuer is None:
        _jwks_cache.clear()


async def _get_json(url: str) -> Any:
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False) as http:
            response = await http.get(url, headers={"accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OidcError("unreachable", type(exc).__name__) from None
    if response.status_code != 200:
        raise OidcError("unreachable", f"{url} answered {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise OidcError("unreachable", f"{url} is not JSON") from None


async def metadata(config: IssuerConfig) -> Metadata:
    cached = _metadata_cache.get(config.issuer)
    if cached and time.monotonic() - cached[0] < METADATA_SECONDS:
        return cached[1]
    raw = await _get_json(config.issuer + "/.well-known/openid-configuration")
    try:
        found = msgspec.convert(raw, Metadata)
    except msgspec.ValidationError as exc:
        raise OidcError("discovery", str(exc)) from None
    # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for.
    if found.issuer.rstrip("/") != config.issuer:
        raise OidcError("discovery", "issuer in metadata differs from the configured one")
    _metadata_cache[config.issuer] = (time.monotonic(), found)
    return found


async def _fetch_jwks(jwks_uri: str, last_refetch: float) -> KeySet:
    raw = await _get_json(jwks_uri)
    try:
        keys = KeySet.import_key_set(raw)
    except (JoseError, ValueError, TypeError) as exc:
        raise OidcError("jwks", type(exc).__name__) from None
    _jwks_cache[jwks_uri] = (time.monotonic(), keys, last_refetch)
    return keys


async def issuer_key(meta: Metadata, kid: str | None) -> Any:
    """The issuer's public key ``kid``: from the cache, or after one refetch when the cache does
    not know it (key rotation)."""
    cached = _jwks_cache.get(meta.jwks_uri)
    now = time.monotonic()
    if cached is None or now - cached[0] >= METADATA_SECONDS:
        keys = await _fetch_jwks(meta.jwks_uri, cached[2] if cached else 0.0)
    else:
        keys = cached[1]
    key = _find(keys, kid)
    if key is not None:
        return key
    last_refetch = _jwks_cache[meta.jwks_uri][2]
    if now - last_refetch < UNKNOWN_KID_REFETCH_SECONDS:
        raise OidcError("unknown_key", "key id unknown to the issuer's JWKS")
    keys = await _fetch_jwks(meta.jwks_uri, now)
    key = _find(keys, kid)
    if key is None:
        raise OidcError("unknown_key", "key id unknown to the issuer's JWKS")
    return key


def _find(keys: KeySet, kid: str | None) -> Any:
    for key in keys:
        if key.get("use") in (None, "sig") and (kid is None or key.kid == kid):
            return key
    return None


# --- The flow --------------------------------------------------------------------------------


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _claims_request(config: IssuerConfig) -> dict:
    """The claims asked in the ID token itself (OpenID Connect Core 5.5): the person's identity
    number from e-ID, the verified e-mail from a staff issuer."""
    if config.kind == "eid":
        return {"id_token": {config.national_id_claim: {"essential": True}, "name": None}}
    return {"id_token": {"email": {"essential": True}, "email_verified": {"essential": True}, "name": None}}


async def authorization_url(config: IssuerConfig, *, state: str, nonce: str, code_verifier: str,
                            redirect_uri: str, lang: str = "fi") -> str:
    """Where to send the browser: the issuer's authorisation endpoint with a signed request object.
    The request's parameters are inside the signed object (JAR); ``client_id``, ``response_type``
    and ``scope`` are repeated outside as OpenID Connect asks."""
    meta = await metadata(config)
    keys = platform_keys(config.jwks_file)
    now = int(time.time())
    scope = "openid" if config.kind == "eid" else "openid email"
    request_object = jwt.encode(
        {"alg": keys.signing_alg, "kid": keys.signing.kid, "typ": "oauth-authz-req+jwt"},
        {
            "iss": config.client_id,
            "aud": meta.issuer,
            "client_id": config.client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(code_verifier),
            "code_challenge_method": "S256",
            "claims": _claims_request(config),
            "ui_locales": lang,
            "prompt": "login",
            "iat": now,
            "nbf": now,
            "exp": now + REQUEST_OBJECT_SECONDS,
            "jti": secrets.token_urlsafe(16),
        },
        keys.signing,
        algorithms=[keys.signing_alg],
        default_type=None,
    )
    query = urlencode({"client_id": config.client_id, "response_type": "code", "scope": scope,
                       "request": request_object})
    return f"{meta.authorization_endpoint}?{query}"


def client_assertion(config: IssuerConfig, audience: str) -> str:
    """``private_key_jwt`` (RFC 7523): a short-lived assertion with ``kid`` and a unique ``jti``."""
    keys = platform_keys(config.jwks_file)
    now = int(time.time())
    return jwt.encode(
        {"alg": keys.signing_alg, "kid": keys.signing.kid},
        {"iss": config.client_id, "sub": config.client_id, "aud": audience, "jti": secrets.token_urlsafe(24),
         "iat": now, "exp": now + 60},
        keys.signing,
        algorithms=[keys.signing_alg],
    )


async def exchange_code(config: IssuerConfig, *, code: str, code_verifier: str, redirect_uri: str) -> str:
    """The authorisation code for the ID token (still encrypted)."""
    meta = await metadata(config)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
        "client_id": config.client_id,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": client_assertion(config, meta.token_endpoint),
    }
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False) as http:
            response = await http.post(meta.token_endpoint, data=form, headers={"accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OidcError("unreachable", type(exc).__name__) from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or not isinstance(body.get("id_token"), str):
        error = body.get("error") if isinstance(body, dict) else None
        raise OidcError("token", str(error or response.status_code))
    return body["id_token"]


async def verify_id_token(config: IssuerConfig, raw: str, *, nonce: str) -> dict:
    """Decrypt the ID token with the platform's key, check its signature with the issuer's key and
    its ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``; the claims, or ``OidcError``."""
    meta = await metadata(config)
    keys = platform_keys(config.jwks_file)
    if raw.count(".") != 4:
        # FTN: the ID token must be encrypted. A bare signed token is refused, whoever signed it.
        raise OidcError("id_token", "ID token is not encrypted")
    try:
        inner = jwe.decrypt_compact(raw, keys.decryption, registry=JWE_REGISTRY)
    except (JoseError, ValueError) as exc:
        raise OidcError("id_token", f"decryption failed: {type(exc).__name__}") from None
    signed = (inner.plaintext or b"").decode("ascii", "replace")
    try:
        header = jws.extract_compact(signed.encode()).headers()
    except (JoseError, ValueError) as exc:
        raise OidcError("id_token", f"not a signed token: {type(exc).__name__}") from None
    if header.get("alg") not in ID_TOKEN_SIGNING_ALGS:
        raise OidcError("id_token", "signature algorithm not accepted")
    key = await issuer_key(meta, header.get("kid"))
    try:
        token = jwt.decode(signed, key, algorithms=list(ID_TOKEN_SIGNING_ALGS))
    except (JoseError, ValueError) as exc:
        raise OidcError("id_token", f"signature: {type(exc).__name__}") from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=CLOCK_LEEWAY_SECONDS,
        iss={"essential": True, "value": meta.issuer},
        aud={"essential": True, "value": config.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError("id_token", f"claims: {type(exc).__name__}") from None
    # A token for several audiences must name the platform as the party it was issued to.
    if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and claims.get("azp") != config.client_id:
        raise OidcError("id_token", "azp")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"], nonce):
        raise OidcError("nonce", "nonce differs from this sign-in's")
    return claims


def identity_from(config: IssuerConfig, claims: dict) -> VerifiedIdentity:
    """What the checked claims prove. The e-mail counts only when the issuer says it verified it."""
    national_id = claims.get(config.national_id_claim) if config.kind == "eid" else None
    email = claims.get("email") if claims.get("email_verified") is True else None
    name = claims.get("name")
    return VerifiedIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        national_id=national_id.strip().upper() if isinstance(national_id, str) and national_id.strip() else None,
        email=email.strip().lower() if isinstance(email, str) and email.strip() else None,
        name=name if isinstance(name, str) else None,
    )


async def finish(config: IssuerConfig, *, code: str, code_verifier: str, nonce: str, redirect_uri: str) -> VerifiedIdentity:
    raw = await exchange_code(config, code=code, code_verifier=code_verifier, redirect_uri=redirect_uri)
    return identity_from(config, await verify_id_token(config, raw, nonce=nonce))
