"""Settings, built from environment variables when asked for — never at import time."""

import ipaddress
import os
import secrets
from pathlib import Path
from collections.abc import Mapping

import msgspec


# What HB_DATABASE_POOLER may name (None: the app talks to PostgreSQL directly).
POOLERS = (None, "pgbouncer")


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    data_dir: Path = Path("./var")
    database_url: str | None = None
    # A streaming replica of the PostgreSQL database that the reports read (core.reporting_db):
    # the organiser's dashboard, budgets by class, the caseload and their CSV exports. Money
    # decisions never read it. Unset → everything reads the primary.
    database_replica_url: str | None = None
    # A connection pooler between the app and PostgreSQL: "pgbouncer" (transaction pooling) makes
    # asyncpg use no named prepared statements (core.db.postgres_config). Unset → none.
    database_pooler: str | None = None
    meili_url: str | None = None
    meili_key: str | None = None
    secret_key: str = ""
    # Cookies get the Secure flag and HSTS is sent when the platform is served over TLS.
    https: bool = False
    base_url: str = "http://127.0.0.1:8000"
    hold_expiry_days: int = 7
    dispute_window_days: int = 3
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "hb-noreply@example.invalid"
    session_hours: int = 8
    # How long an invitation to an account stays open (core.invitations); a resend starts it again.
    invitation_days: int = 7
    # The card authorisation API's rate limits, requests per second (0 = no limit), each with a
    # burst of 4 seconds' worth (core.ratelimit).
    api_rate_per_key: float = 50.0
    api_rate_per_address: float = 100.0
    # argon2id cost for new password hashes (argon2-cffi's default: 64 MiB, 3 passes).
    argon2_memory_kib: int = 65536
    argon2_time_cost: int = 3
    log_level: str = "INFO"
    # Strong e-ID over OpenID Connect (core.oidc, FTN profile): the clients' issuer (Suomi.fi or a
    # broker), the platform's client id there, and the JSON Web Key Set file holding the platform's
    # private signing and decryption keys. Unset → no e-ID sign-in. The staff issuer is a county's
    # own identity provider (same keys, its own client id).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_jwks_file: str | None = None
    oidc_national_id_claim: str = "urn:oid:1.2.246.21"
    oidc_staff_issuer: str | None = None
    oidc_staff_client_id: str | None = None
    # The embedded search index lives in data_dir unless a Meilisearch URL is given.
    search_backend: str = "embedded"
    # The Finnish open registries (marketplace.registry): the business information system's open
    # data (PRH/YTJ, e.g. https://avoindata.prh.fi/opendata-ytj-api/v3) and the social and health
    # care provider register (Soteri). Unset → no registry checks (the default).
    registry_url: str | None = None
    soteri_url: str | None = None
    # /metrics (core.metrics): answered to a request with this bearer token, or from an address in
    # one of these networks (comma-separated CIDRs, e.g. "10.0.0.0/8,127.0.0.1/32"). Neither set →
    # /metrics is off (404).
    metrics_token: str | None = None
    metrics_networks: str = ""
    # Evidence documents in an S3-compatible object store (marketplace.evidence_store.S3Store)
    # instead of data_dir/evidence: the endpoint, the bucket, and keys (else boto3's own chain).
    evidence_s3_url: str | None = None
    evidence_s3_bucket: str | None = None
    evidence_s3_access_key: str | None = None
    evidence_s3_secret_key: str | None = None
    evidence_s3_region: str | None = None

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url) and self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "hb.sqlite3"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        _load_dotenv(env)
        data_dir = Path(env.get("HB_DATA_DIR", "./var"))
        values: dict = {
            "data_dir": data_dir,
            "database_url": env.get("HB_DATABASE_URL") or None,
            "database_replica_url": env.get("HB_DATABASE_REPLICA_URL") or None,
            "database_pooler": (env.get("HB_DATABASE_POOLER") or "").strip().lower() or None,
            "meili_url": env.get("HB_MEILI_URL") or None,
            "meili_key": env.get("HB_MEILI_KEY") or None,
            "https": env.get("HB_HTTPS", "").lower() in {"1", "true", "yes"},
            "base_url": env.get("HB_BASE_URL", "http://127.0.0.1:8000"),
            "hold_expiry_days": int(env.get("HB_HOLD_EXPIRY_DAYS", "7")),
            "dispute_window_days": int(env.get("HB_DISPUTE_WINDOW_DAYS", "3")),
            "stripe_secret_key": env.get("HB_STRIPE_SECRET_KEY") or None,
            "stripe_webhook_secret": env.get("HB_STRIPE_WEBHOOK_SECRET") or None,
            "smtp_host": env.get("HB_SMTP_HOST") or None,
            "smtp_port": int(env.get("HB_SMTP_PORT", "25")),
            "mail_from": env.get("HB_MAIL_FROM", "hb-noreply@example.invalid"),
            "session_hours": int(env.get("HB_SESSION_HOURS", "8")),
            "invitation_days": int(env.get("HB_INVITATION_DAYS", "7")),
            "api_rate_per_key": float(env.get("HB_API_RATE_PER_KEY", "50")),
            "api_rate_per_address": float(env.get("HB_API_RATE_PER_ADDRESS", "100")),
            "argon2_memory_kib": int(env.get("HB_ARGON2_MEMORY_KIB", "65536")),
            "argon2_time_cost": int(env.get("HB_ARGON2_TIME_COST", "3")),
            "log_level": env.get("HB_LOG_LEVEL", "INFO"),
            "oidc_issuer": env.get("HB_OIDC_ISSUER") or None,
            "oidc_client_id": env.get("HB_OIDC_CLIENT_ID") or None,
            "oidc_jwks_file": env.get("HB_OIDC_JWKS_FILE") or None,
            "oidc_national_id_claim": env.get("HB_OIDC_NATIONAL_ID_CLAIM") or "urn:oid:1.2.246.21",
            "oidc_staff_issuer": env.get("HB_OIDC_STAFF_ISSUER") or None,
            "oidc_staff_client_id": env.get("HB_OIDC_STAFF_CLIENT_ID") or None,
            "registry_url": env.get("HB_REGISTRY_URL") or None,
            "soteri_url": env.get("HB_SOTERI_URL") or None,
            "metrics_token": env.get("HB_METRICS_TOKEN") or None,
            "metrics_networks": env.get("HB_METRICS_NETWORKS", ""),
            "evidence_s3_url": env.get("HB_EVIDENCE_S3_URL") or None,
            "evidence_s3_bucket": env.get("HB_EVIDENCE_S3_BUCKET") or None,
            "evidence_s3_access_key": env.get("HB_EVIDENCE_S3_ACCESS_KEY") or None,
            "evidence_s3_secret_key": env.get("HB_EVIDENCE_S3_SECRET_KEY") or None,
            "evidence_s3_region": env.get("HB_EVIDENCE_S3_REGION") or None,
        }
        values["search_backend"] = "meilisearch" if values["meili_url"] else "embedded"
        _check_networks(values["metrics_networks"])
        if values["database_pooler"] not in POOLERS:
            raise ValueError(f"HB_DATABASE_POOLER={values['database_pooler']!r}: use 'pgbouncer', or leave it unset")
        values.update(overrides)
        if values.get("evidence_s3_url") and not values.get("evidence_s3_bucket"):
            raise ValueError("HB_EVIDENCE_S3_URL is set without HB_EVIDENCE_S3_BUCKET: name the bucket for evidence documents")
        secret = env.get("HB_SECRET_KEY") or values.get("secret_key") or ""
        if not secret:
            secret = _embedded_secret(Path(values["data_dir"]))
        values["secret_key"] = secret
        return cls(**values)


def _check_networks(value: str) -> None:
    """HB_METRICS_NETWORKS is a comma-separated list of networks; a wrong one stops the start."""
    for part in value.split(","):
        if part.strip():
            try:
                ipaddress.ip_network(part.strip(), strict=False)
            except ValueError as exc:
                raise ValueError(f"HB_METRICS_NETWORKS: {part.strip()!r} is not a network ({exc})") from None


def _load_dotenv(env: dict[str, str]) -> None:
    """A `.env` file in the working directory may set variables the environment does not."""
    path = Path(".env")
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        env.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def _embedded_secret(data_dir: Path) -> str:
    """The embedded default keeps a random secret in its data directory (created on first use)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
