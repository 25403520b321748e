"""Search: index documents, backends (embedded and Meilisearch) and sync through an outbox."""
