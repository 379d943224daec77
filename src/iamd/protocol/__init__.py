"""The AWS Query protocol of IAM and STS, derived from botocore's service models.

Read a request's form (:func:`read_form`), parse it against the service's model
(:meth:`ServiceApi.parse`: operation, snake_case parameters, every shape constraint checked),
and serialize the handler's result or error to the XML AWS sends
(:meth:`ServiceApi.serialize_result`, :meth:`ServiceApi.serialize_error`).
"""

from iamd.protocol.form import read_form
from iamd.protocol.service import ParsedRequest, ServiceApi, load_service

__all__ = ["ParsedRequest", "ServiceApi", "load_service", "read_form"]
