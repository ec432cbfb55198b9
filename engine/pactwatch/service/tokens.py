"""API tokens: ``pw_<id>_<secret>``, shown once, stored as the SHA-256 of the secret.

The id is public (audit log, ``tokens list``, revocation); the secret never leaves the
request. Verification compares digests in constant time.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from .store import Store, sha256

__all__ = ["Principal", "create_token", "verify_token"]

_PREFIX = "pw_"


@dataclass(frozen=True)
class Principal:
    """Who a request acts for."""

    token_id: str
    organisation_id: int
    organisation: str


def create_token(store: Store, organisation: str) -> str:
    """A new token for ``organisation`` (created if new); the only time the secret is seen."""
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    store.add_token(organisation, token_id, sha256(secret))
    return f"{_PREFIX}{token_id}_{secret}"


def token_id_of(token: str) -> str | None:
    if not token.startswith(_PREFIX):
        return None
    token_id, sep, _ = token[len(_PREFIX):].partition("_")
    return token_id if sep and token_id else None


def verify_token(store: Store, token: str) -> Principal | None:
    """The principal of a valid, unrevoked token, else None."""
    token_id = token_id_of(token)
    if token_id is None:
        return None
    found = store.token(token_id)
    if found is None:
        return None
    row, org = found
    secret = token[len(_PREFIX) + len(token_id) + 1:]
    if row.revoked is not None or not hmac.compare_digest(row.secret_sha256, sha256(secret)):
        return None
    return Principal(row.id, org.id, org.name)
