"""The web console: pages that call services, never storage or policy directly (not built yet)."""

__all__: list[str] = []
