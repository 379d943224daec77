"""Tests of what iamd does for speed: group commit, inline reads, ListUsers at scale."""
