"""Typed AWS errors.

Handlers, the authenticator and the protocol layer raise these; only the server turns them into
HTTP responses. Each class carries the AWS error code, the HTTP status and whether the caller
is at fault (``Sender``) or the service (``Receiver``), as the ``<Error><Type>`` element says.
Codes and statuses follow the exception shapes of botocore's IAM and STS models
(``"error": {"code": ..., "httpStatusCode": ...}``).
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDenied",
    "AwsError",
    "ConcurrentModification",
    "DeleteConflict",
    "DuplicateCertificate",
    "DuplicateSSHPublicKey",
    "EntityAlreadyExists",
    "EntityTemporarilyUnmodifiable",
    "ExpiredToken",
    "ExpiredTokenException",
    "ExpiredTradeInToken",
    "IDPCommunicationError",
    "IDPRejectedClaim",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidAuthenticationCode",
    "InvalidAuthorizationMessage",
    "InvalidCertificate",
    "InvalidClientTokenId",
    "InvalidContextAssertion",
    "InvalidIdentityToken",
    "InvalidInput",
    "InvalidParameterValue",
    "InvalidPublicKey",
    "InvalidSubjectCredentials",
    "InvalidUserType",
    "LimitExceeded",
    "MalformedCertificate",
    "MalformedPolicyDocument",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "NoSuchEntity",
    "NotSupportedService",
    "OutboundWebIdentityFederationDisabled",
    "PackedPolicyTooLarge",
    "PasswordPolicyViolation",
    "PolicyNotAttachable",
    "RegionDisabled",
    "RequestEntityTooLarge",
    "ServiceFailure",
    "ServiceUnavailable",
    "SignatureDoesNotMatch",
    "UnmodifiableEntity",
    "UnrecognizedPublicKeyEncoding",
    "ValidationError",
]


class AwsError(Exception):
    """An error AWS would answer, with its code, HTTP status and fault."""

    code: ClassVar[str] = "InternalFailure"
    status: ClassVar[int] = 400
    sender_fault: ClassVar[bool] = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


# -- common to every AWS Query service ----------------------------------------------------------


class ValidationError(AwsError):
    code = "ValidationError"


class InvalidAction(AwsError):
    code = "InvalidAction"


class MissingAction(AwsError):
    code = "MissingAction"


class MalformedQueryString(AwsError):
    code = "MalformedQueryString"
    status = 404


class InvalidParameterValue(AwsError):
    code = "InvalidParameterValue"


class RequestEntityTooLarge(AwsError):
    code = "RequestEntityTooLarge"
    status = 413


class InternalFailure(AwsError):
    code = "InternalFailure"
    status = 500
    sender_fault = False


class ServiceUnavailable(AwsError):
    code = "ServiceUnavailable"
    status = 503
    sender_fault = False


# -- authentication and authorization -----------------------------------------------------------


class AccessDenied(AwsError):
    code = "AccessDenied"
    status = 403


class InvalidClientTokenId(AwsError):
    code = "InvalidClientTokenId"
    status = 403


class SignatureDoesNotMatch(AwsError):
    code = "SignatureDoesNotMatch"
    status = 403


class IncompleteSignature(AwsError):
    code = "IncompleteSignature"
    status = 403


class MissingAuthenticationToken(AwsError):
    code = "MissingAuthenticationToken"
    status = 403


class ExpiredToken(AwsError):
    code = "ExpiredToken"
    status = 403


# -- IAM (botocore iam/2010-05-08 exception shapes) ---------------------------------------------


class NoSuchEntity(AwsError):
    code = "NoSuchEntity"
    status = 404


class EntityAlreadyExists(AwsError):
    code = "EntityAlreadyExists"
    status = 409


class DeleteConflict(AwsError):
    code = "DeleteConflict"
    status = 409


class LimitExceeded(AwsError):
    code = "LimitExceeded"
    status = 409


class InvalidInput(AwsError):
    code = "InvalidInput"


class MalformedPolicyDocument(AwsError):
    code = "MalformedPolicyDocument"


class PasswordPolicyViolation(AwsError):
    code = "PasswordPolicyViolation"


class InvalidAuthenticationCode(AwsError):
    code = "InvalidAuthenticationCode"
    status = 403


class EntityTemporarilyUnmodifiable(AwsError):
    code = "EntityTemporarilyUnmodifiable"
    status = 409


class UnmodifiableEntity(AwsError):
    code = "UnmodifiableEntity"


class PolicyNotAttachable(AwsError):
    code = "PolicyNotAttachable"


class ConcurrentModification(AwsError):
    code = "ConcurrentModification"
    status = 409


class ServiceFailure(AwsError):
    code = "ServiceFailure"
    status = 500
    sender_fault = False


# -- user credentials: passwords, SSH public keys, signing certificates, service credentials ------


class InvalidUserType(AwsError):
    code = "InvalidUserType"


class InvalidPublicKey(AwsError):
    code = "InvalidPublicKey"


class DuplicateSSHPublicKey(AwsError):
    code = "DuplicateSSHPublicKey"


class UnrecognizedPublicKeyEncoding(AwsError):
    code = "UnrecognizedPublicKeyEncoding"


class MalformedCertificate(AwsError):
    code = "MalformedCertificate"


class InvalidCertificate(AwsError):
    code = "InvalidCertificate"


class DuplicateCertificate(AwsError):
    code = "DuplicateCertificate"
    status = 409


class NotSupportedService(AwsError):
    """botocore's ServiceNotSupportedException: the service has no service-specific credentials."""

    code = "NotSupportedService"
    status = 404


# -- STS (botocore sts/2011-06-15 exception shapes) ---------------------------------------------


class PackedPolicyTooLarge(AwsError):
    code = "PackedPolicyTooLarge"


class RegionDisabled(AwsError):
    """botocore's RegionDisabledException."""

    code = "RegionDisabledException"
    status = 403


class ExpiredTokenException(AwsError):
    """A web identity token or SAML assertion past its expiry (not ``ExpiredToken``, which is
    an expired session token signing a request)."""

    code = "ExpiredTokenException"


class IDPRejectedClaim(AwsError):
    code = "IDPRejectedClaim"
    status = 403


class IDPCommunicationError(AwsError):
    code = "IDPCommunicationError"


class InvalidIdentityToken(AwsError):
    code = "InvalidIdentityToken"


class InvalidAuthorizationMessage(AwsError):
    """botocore's InvalidAuthorizationMessageException."""

    code = "InvalidAuthorizationMessageException"


class InvalidContextAssertion(AwsError):
    code = "InvalidContextAssertion"


class InvalidSubjectCredentials(AwsError):
    code = "InvalidSubjectCredentials"


class ExpiredTradeInToken(AwsError):
    """botocore's ExpiredTradeInTokenException."""

    code = "ExpiredTradeInTokenException"


class OutboundWebIdentityFederationDisabled(AwsError):
    """botocore's OutboundWebIdentityFederationDisabledException."""

    code = "OutboundWebIdentityFederationDisabledException"
    status = 403
