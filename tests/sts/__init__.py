"""Test machinery for STS: a local OpenID issuer over HTTPS, a SAML identity provider that signs
real responses, and the server clock tests move."""
