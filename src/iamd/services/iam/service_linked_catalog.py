"""What iamd knows of each AWS service's service-linked role: its name, whether it takes a
CustomSuffix, and the AWS managed policy its service attaches ("Using service-linked roles",
using-service-linked-roles).

AWS publishes no table of service-linked roles, so iamd derives one from the AWS managed policies
it ships (``iamd/data/aws_managed_policies.json.gz``): many of AWS's own policies grant
``iam:CreateServiceLinkedRole`` on ``arn:aws:iam::*:role/aws-service-role/<service>/<role
name>``, which names the role AWS gives each service (about 125 services). For a service those
documents never name, the role is called ``AWSServiceRoleFor`` and the service's name in
CamelCase (:func:`iamd.domain.default_service_linked_role_name`).

The permissions policy is found by AWS's naming conventions among the AWS managed policies under
``/aws-service-role/``: for a role ``AWSServiceRoleFor<X>``, ``AWS<X>ServiceRolePolicy``,
``Amazon<X>ServiceRolePolicy``, ``<X>ServiceRolePolicy``, the same with
``ServiceLinkedRolePolicy``, ``AWS<X>Policy``/``Amazon<X>Policy``/``<X>Policy`` and
``AWSServiceRoleFor<X>`` itself, with ``<X>`` also tried without underscores and without a leading
``Amazon``/``AWS``; names compare regardless of case. This finds the policy of 100 of the 124
services the data names; a role whose policy is not found is created with none.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections import Counter, defaultdict
from importlib.resources import files

from iamd.domain import (
    AWS_MANAGED_ACCOUNT,
    SERVICE_ROLE_PATH_PREFIX,
    ManagedPolicy,
    default_service_linked_role_name,
)
from iamd.services.context import Call

__all__ = ["NO_SUFFIX_SERVICES", "service_linked_role_name", "service_policy"]

_ROLE_PREFIX = "AWSServiceRoleFor"
_MENTION = re.compile(
    r"role/aws-service-role/([a-z0-9][a-z0-9.-]*\.amazonaws\.com)/(AWSServiceRoleFor[\w+=,.@-]*)"
)

#: Services that AWS has been seen refusing a CustomSuffix for ("Custom suffix is not allowed
#: for es.amazonaws.com", quoted in terraform-community-modules/tf_aws_elasticsearch#23). Every
#: other service takes one.
NO_SUFFIX_SERVICES = frozenset({"es.amazonaws.com"})


@functools.cache
def _known_names() -> dict[str, str]:
    """service principal -> role name, from the packaged AWS managed policies (immutable data,
    read once per process like botocore's service models)."""
    raw = files("iamd.data").joinpath("aws_managed_policies.json.gz").read_bytes()
    text = gzip.decompress(raw).decode()
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for service, name in _MENTION.findall(text):
        seen[service][name.rstrip("_-")] += 1
    # The name AWS's policies use most often for the service; the shortest on a tie (a name
    # with a suffix pattern such as ``AWSServiceRoleForX_*`` loses to ``AWSServiceRoleForX``).
    return {
        service: min(names.items(), key=lambda item: (-item[1], len(item[0])))[0]
        for service, names in seen.items()
    }


def service_linked_role_name(service: str) -> str:
    """The name (without CustomSuffix) of the service-linked role of ``service``."""
    return _known_names().get(service) or default_service_linked_role_name(service)


def _candidates(role_name: str) -> list[str]:
    stem = role_name.removeprefix(_ROLE_PREFIX)
    stems = dict.fromkeys(
        (stem, stem.replace("_", ""), stem.removeprefix("Amazon"), stem.removeprefix("AWS"))
    )
    names: list[str] = []
    for s in stems:
        names += [
            f"{_ROLE_PREFIX}{s}",
            f"AWS{s}ServiceRolePolicy",
            f"Amazon{s}ServiceRolePolicy",
            f"{s}ServiceRolePolicy",
            f"AWS{s}ServiceLinkedRolePolicy",
            f"Amazon{s}ServiceLinkedRolePolicy",
            f"{s}ServiceLinkedRolePolicy",
            f"AWS{s}Policy",
            f"Amazon{s}Policy",
            f"{s}Policy",
        ]
    return list(dict.fromkeys(names))


def service_policy(call: Call, role_name: str) -> ManagedPolicy | None:
    """The AWS managed service-role policy for the role ``role_name`` (without suffix), if the
    naming conventions find one."""
    for name in _candidates(role_name):
        policy = call.uow.policies.get_by_name(AWS_MANAGED_ACCOUNT, name)
        if policy is not None and policy.path.startswith(SERVICE_ROLE_PATH_PREFIX):
            return policy
    return None
