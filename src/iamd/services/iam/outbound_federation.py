"""Outbound identity federation: GetOutboundWebIdentityFederationInfo and
DisableOutboundWebIdentityFederation (IAM API Reference).

The feature lets principals call STS GetWebIdentityToken for JWTs signed by AWS, verifiable at an
issuer URL that serves OIDC discovery and JWKS. iamd issues no such tokens and serves no such
issuer, so the feature is disabled in every account, and these operations answer exactly as AWS
answers an account where it is disabled: ``FeatureDisabled`` (404). Its message for Disable is
the model's documentation of the exception; the one for Get is iamd's own.

EnableOutboundWebIdentityFederation has no handler: enabling would have to hand out an issuer
URL that verifies nothing, so it answers as every operation iamd does not implement (AWS's
unknown-action answer). Decisions recorded in docs/api-coverage.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from iamd.errors import AwsError
from iamd.services.context import Call
from iamd.services.registry import iam_operation

__all__ = [
    "FeatureDisabled",
    "disable_outbound_web_identity_federation",
    "get_outbound_web_identity_federation_info",
]


class FeatureDisabled(AwsError):
    """botocore's FeatureDisabledException."""

    code = "FeatureDisabled"
    status = 404


@iam_operation("GetOutboundWebIdentityFederationInfo", write=False)
def get_outbound_web_identity_federation_info(call: Call) -> Mapping[str, object]:
    raise FeatureDisabled(
        "The request failed because outbound identity federation is disabled for your account."
    )


@iam_operation("DisableOutboundWebIdentityFederation", write=True)
def disable_outbound_web_identity_federation(call: Call) -> None:
    raise FeatureDisabled(
        "The request failed because outbound identity federation is already disabled for your "
        "Amazon Web Services account. You cannot disable the feature multiple times"
    )
