"""Shared foundation of the HB platform: settings, database, identity, audit, i18n and the CLI."""
