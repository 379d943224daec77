"""The AWS Query protocol of IAM and STS, derived from botocore's service models.

Read a request's form (:func:`read_form`), parse it against the service's model
(:meth:`ServiceApi.parse`: operation, snake_case parameters, every shape constraint checked),
and serialize the handler's result or error to the XML AWS sends
(:meth:`ServiceApi.serialize_result`, :meth:`ServiceApi.serialize_error`). Signature Version 4
(:func:`parse_signature`, :func:`verify_signature`) authenticates the request.
"""

from iamd.protocol.form import read_form
from iamd.protocol.service import ParsedRequest, ServiceApi, load_service
from iamd.protocol.sigv4 import SignedRequest, SigningKeyCache, parse_signature, verify_signature

__all__ = [
    "ParsedRequest",
    "ServiceApi",
    "SignedRequest",
    "SigningKeyCache",
    "load_service",
    "parse_signature",
    "read_form",
    "verify_signature",
]
