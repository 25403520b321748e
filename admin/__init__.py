"""Organiser console and follow-up."""
