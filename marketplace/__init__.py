"""Providers, listings, approvals per organiser, bookings and reviews."""
