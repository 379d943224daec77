"""Entities and invariants of IAM: accounts, users, groups, policies, keys, tags, quotas.

Pure: no I/O, no clock, no randomness.
"""

from iamd.domain.access_keys import AccessKey, KeyStatus
from iamd.domain.accounts import Account, is_account_id, root_arn
from iamd.domain.groups import Group, group_arn
from iamd.domain.instance_profiles import (
    ROLES_PER_INSTANCE_PROFILE,
    InstanceProfile,
    instance_profile_arn,
)
from iamd.domain.policies import (
    AWS_MANAGED_ACCOUNT,
    AttachedPolicy,
    InlinePolicy,
    ManagedPolicy,
    PolicyOwnerKind,
    PolicyVersion,
    is_aws_managed_arn,
    policy_arn,
    version_number,
)
from iamd.domain.principals import Principal, PrincipalType
from iamd.domain.quotas import DEFAULT_QUOTAS, Quotas
from iamd.domain.roles import (
    DEFAULT_MAX_SESSION_DURATION,
    SERVICE_ROLE_PATH_PREFIX,
    DeletionTask,
    DeletionTaskStatus,
    Role,
    default_service_linked_role_name,
    deletion_task_id,
    parse_deletion_task_id,
    role_arn,
    service_linked_role_path,
    service_trust_policy,
)
from iamd.domain.tags import Tag, TagRuleViolation, merge_tags, remove_tags
from iamd.domain.users import User, user_arn

__all__ = [
    "AWS_MANAGED_ACCOUNT",
    "DEFAULT_MAX_SESSION_DURATION",
    "DEFAULT_QUOTAS",
    "ROLES_PER_INSTANCE_PROFILE",
    "SERVICE_ROLE_PATH_PREFIX",
    "AccessKey",
    "Account",
    "AttachedPolicy",
    "DeletionTask",
    "DeletionTaskStatus",
    "Group",
    "InlinePolicy",
    "InstanceProfile",
    "KeyStatus",
    "ManagedPolicy",
    "PolicyOwnerKind",
    "PolicyVersion",
    "Principal",
    "PrincipalType",
    "Quotas",
    "Role",
    "Tag",
    "TagRuleViolation",
    "User",
    "default_service_linked_role_name",
    "deletion_task_id",
    "group_arn",
    "instance_profile_arn",
    "is_account_id",
    "is_aws_managed_arn",
    "merge_tags",
    "parse_deletion_task_id",
    "policy_arn",
    "remove_tags",
    "role_arn",
    "root_arn",
    "service_linked_role_path",
    "service_trust_policy",
    "user_arn",
    "version_number",
]
