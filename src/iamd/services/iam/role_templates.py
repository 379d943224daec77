"""Role templates: GetRoleTemplateVersion and AcquireRole (IAM API Reference).

Role templates are published and managed by AWS services (``ManagedByType`` is ``Service``); a
role is created from one with AcquireRole. iamd has no AWS services publishing templates, so no
template exists and both operations answer NoSuchEntity for any template ARN — AWS's answer for
a template that does not exist. The text is iamd's own. Decision recorded in
docs/api-coverage.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.errors import NoSuchEntity
from iamd.services.context import Call
from iamd.services.iam.arn_params import on_arn
from iamd.services.registry import iam_operation

__all__ = ["acquire_role", "get_role_template_version"]


def _no_template(arn: str) -> NoSuchEntity:
    return NoSuchEntity(f"The role template {arn} cannot be found.")


@iam_operation("GetRoleTemplateVersion", write=False, authz=on_arn("template_arn"))
def get_role_template_version(
    call: Call, *, template_arn: str, minor_version: int | None = None
) -> Mapping[str, object]:
    raise _no_template(template_arn)


@iam_operation("AcquireRole", write=True, authz=on_arn("template_arn"))
def acquire_role(
    call: Call,
    *,
    template_arn: str,
    template_minor_version: int | None = None,
    replacement_values: Mapping[str, object] | None = None,
) -> Mapping[str, object]:
    raise _no_template(template_arn)
