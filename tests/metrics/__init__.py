"""Metrics, health and structured log tests."""
