"""iamd: a self-hosted AWS Identity and Access Management (IAM) and Security Token Service (STS)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
