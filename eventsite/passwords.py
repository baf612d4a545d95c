"""Organizers' passwords, kept as Argon2id hashes at OWASP's recommended cost.

19 MiB of memory, two passes, one lane: about 25 ms of one core per check. Slow and costly
enough to guess offline, cheap enough that the login is no lever against the server (no
request may take 100 ms of CPU, tests/test_fuzz.py). Hashes kept before (werkzeug's scrypt,
about 95 ms a check) still match, and are replaced at the next login.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

_ARGON2_PREFIX = "$argon2"
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    if not password_hash.startswith(_ARGON2_PREFIX):
        return check_password_hash(password_hash, password)
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_new_hash(password_hash: str) -> bool:
    """True for a hash kept the old way or at another cost than today's."""
    return not password_hash.startswith(_ARGON2_PREFIX) or _hasher.check_needs_rehash(password_hash)
