"""Service-specific credentials: Git credentials for CodeCommit, Amazon Keyspaces passwords and
long-term API keys for Amazon Bedrock and CloudWatch Logs ("Service-specific credentials for IAM
users", id_credentials_service-specific-creds; "API keys for AWS services",
id_credentials_api_keys_for_aws_services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iamd.domain.access_keys import KeyStatus

__all__ = ["ServiceSpecificCredential"]


@dataclass(frozen=True, slots=True)
class ServiceSpecificCredential:
    """``service_user_name`` is the ServiceUserName (or, for API keys, ServiceCredentialAlias);
    the password is kept encrypted in ``secret_ciphertext``. ``expires_at`` is set only for API
    keys created with CredentialAgeDays."""

    id: str
    account_id: str
    user_id: str
    user_name: str
    service_name: str
    service_user_name: str
    secret_ciphertext: bytes
    status: KeyStatus
    created_at: dt.datetime
    expires_at: dt.datetime | None = None

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
