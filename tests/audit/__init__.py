"""Audit log tests: records, secrets, the iamd audit command, last-used data."""
