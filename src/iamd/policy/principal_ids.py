"""Unique ids in the ``Principal`` element of a stored role trust policy.

"If your Principal element in a role trust policy contains an ARN that points to a specific IAM
user [or role], then IAM transforms the ARN to the user's unique principal ID when you save the
policy. [...] if you delete the user, then you break the relationship. The policy no longer
applies, even if you recreate the user. [...] the principal ID appears in resource-based
policies because AWS can no longer map it back to a valid ARN." (IAM JSON policy elements:
Principal, reference_policies_elements_principal.)

The ids are kept beside the policy text; :func:`replace_aws_principals` writes the policy as of
now, with the ARN of an entity that is gone replaced by the id it had, and
``parse_policy(..., unique_ids=True)`` accepts such a policy. The engine compares a principal's
ARNs with the element's values, so an id matches nobody.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import cast

__all__ = ["is_principal_id", "replace_aws_principals"]

_PRINCIPAL_ID = re.compile(r"A(?:IDA|ROA)[A-Z0-9]+")
_ELEMENTS = ("Principal", "NotPrincipal")


def is_principal_id(value: str) -> bool:
    """Whether ``value`` is an IAM user's (``AIDA…``) or role's (``AROA…``) unique id
    ("Understanding unique ID prefixes", reference_identifiers)."""
    return _PRINCIPAL_ID.fullmatch(value) is not None


def replace_aws_principals(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` (a valid policy) with every ``AWS`` value of its Principal and NotPrincipal
    elements that is a key of ``replacements`` replaced by that key's value, as compact JSON;
    ``text`` itself, unchanged, when nothing is replaced. Conditions are left as written."""
    if not replacements:
        return text
    data = cast(dict[str, object], json.loads(text))
    body = data["Statement"]
    statements = [body] if isinstance(body, dict) else cast(list[object], body)
    changed = False
    for statement in statements:
        for name in _ELEMENTS:
            element = cast(dict[str, object], statement).get(name)
            if not isinstance(element, dict) or "AWS" not in element:
                continue
            values = element["AWS"]
            if isinstance(values, str):
                new: object = replacements.get(values, values)
            else:
                new = [replacements.get(v, v) for v in cast(list[str], values)]
            changed = changed or new != values
            element["AWS"] = new
    if not changed:
        return text
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
