"""Entities and invariants of IAM: accounts, users, groups, policies, keys, tags, quotas.

Pure: no I/O, no clock, no randomness.
"""

from iamd.domain.access_keys import AccessKey, KeyStatus
from iamd.domain.accounts import Account, is_account_id, root_arn
from iamd.domain.groups import Group, group_arn
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
from iamd.domain.tags import Tag, TagRuleViolation, merge_tags, remove_tags
from iamd.domain.users import User, user_arn

__all__ = [
    "AWS_MANAGED_ACCOUNT",
    "DEFAULT_QUOTAS",
    "AccessKey",
    "Account",
    "AttachedPolicy",
    "Group",
    "InlinePolicy",
    "KeyStatus",
    "ManagedPolicy",
    "PolicyOwnerKind",
    "PolicyVersion",
    "Principal",
    "PrincipalType",
    "Quotas",
    "Tag",
    "TagRuleViolation",
    "User",
    "group_arn",
    "is_account_id",
    "is_aws_managed_arn",
    "merge_tags",
    "policy_arn",
    "remove_tags",
    "root_arn",
    "user_arn",
    "version_number",
]
