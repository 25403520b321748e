"""The marketplace's tables in the platform's raw-table admin (core.raw_tables): all read-only but
the catalogue settings (organisers and service categories), none with a client's data."""

from core.raw_tables import RawTable
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingReview,
    ListingRevision,
    Organiser,
    Provider,
    ProviderApproval,
    ProviderCategoryApproval,
    ProviderEvidence,
    RegistryCheck,
    ServiceCategory,
)

RAW_ADMIN_TABLES = (
    RawTable(table=Organiser, writable=True),
    RawTable(table=ServiceCategory, writable=True),
    *(RawTable(table=t) for t in (Provider, ProviderEvidence, ProviderApproval, ProviderCategoryApproval, Listing,
                                  ListingRevision, ListingApproval, ListingReview, RegistryCheck)),
)
