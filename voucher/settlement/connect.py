"""Stripe Connect payouts: one Transfer per settlement batch to the provider's connected account.

The batch id is the Stripe idempotency key, so a settlement rerun after a crash (within Stripe's
24-hour key lifetime) gets the same transfer back instead of paying twice.
"""

from typing import Protocol

import stripe


class PayoutGateway(Protocol):
    async def transfer(
        self, *, amount_cents: int, destination: str, idempotency_key: str, transfer_group: str, metadata: dict
    ) -> str:
        """Move ``amount_cents`` (EUR) to a connected account; returns the transfer id."""
        ...


class StripeConnect:
    """The real gateway, through the stripe SDK (``api_base`` points it elsewhere, e.g. in tests)."""

    def __init__(self, api_key: str, *, api_base: str | None = None, http_client: stripe.HTTPClient | None = None):
        self.client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=http_client,
            max_network_retries=2,
        )

    async def transfer(
        self, *, amount_cents: int, destination: str, idempotency_key: str, transfer_group: str, metadata: dict
    ) -> str:
        created = await self.client.v1.transfers.create_async(
            params={
                "amount": amount_cents,
                "currency": "eur",
                "destination": destination,
                "transfer_group": transfer_group,
                "metadata": metadata,
            },
            options={"idempotency_key": idempotency_key},
        )
        return created.id
