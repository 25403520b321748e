"""A provider's API keys: created by its staff, shown once, stored hashed, revocable."""

from core import audit, identity
from core.errors import NotFound, field_errors
from core.identity import Actor
from core.ids import as_uuid
from core.text import text_error
from marketplace.providers import require_staff
from marketplace.schemas import ApiKeyCreated, ApiKeyRead


async def create_key(actor: Actor, provider_id, label: str) -> ApiKeyCreated:
    require_staff(actor, provider_id)
    if err := text_error(label, "label", 200):
        field_errors([err])
    # A provider's key is a terminal key: the only scope there is (core.identity.API_KEY_SCOPES).
    scopes = [identity.TERMINAL]
    key_id, key = await identity.create_api_key(provider_id=as_uuid(provider_id), label=label.strip(),
                                                created_by=actor.user_id, scopes=scopes)
    await audit.record(actor, "api_key.created", "provider", provider_id, details={"key_id": key_id, "scopes": scopes})
    return ApiKeyCreated(id=key_id, key=key, prefix=key[:12], label=label.strip(), scopes=scopes)


async def list_keys(actor: Actor, provider_id) -> list[ApiKeyRead]:
    require_staff(actor, provider_id)
    return [
        ApiKeyRead(id=str(k.id), prefix=k.prefix, label=k.label, created_at=k.created_at.isoformat(),
                   revoked_at=k.revoked_at.isoformat() if k.revoked_at else None, scopes=k.scopes.split())
        for k in await identity.api_keys_of(as_uuid(provider_id))
    ]


async def revoke_key(actor: Actor, provider_id, key_id) -> None:
    require_staff(actor, provider_id)
    if not as_uuid(key_id) or not await identity.revoke_api_key(as_uuid(key_id), provider_id=as_uuid(provider_id)):
        raise NotFound()
    await audit.record(actor, "api_key.revoked", "provider", provider_id, details={"key_id": str(key_id)})
