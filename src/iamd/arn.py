"""Amazon Resource Names.

``arn:partition:service:region:account-id:resource`` — "Amazon Resource Names (ARNs)" in the
IAM User Guide (reference-arns). The resource part may itself contain colons.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Arn", "ArnError"]


class ArnError(ValueError):
    """The text is not an ARN."""


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn:
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
            raise ArnError(text)
        return cls(parts[1], parts[2], parts[3], parts[4], parts[5])

    @classmethod
    def iam(cls, account: str, resource: str) -> Arn:
        return cls("aws", "iam", "", account, resource)

    @property
    def resource_type(self) -> str:
        """``user`` in ``user/path/Bob``; the whole resource when it has no type prefix."""
        for sep in ("/", ":"):
            head, found, _ = self.resource.partition(sep)
            if found:
                return head
        return self.resource

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"
