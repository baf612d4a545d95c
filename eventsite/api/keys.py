"""API keys: bearer tokens an organizer makes for reading one campaign's attendances.

Checking a key writes nothing, so a GET stays a read (safe to repeat, and no write lock for
SQLite's one writer): a key's last_used_at is when it last made a change (an RSVP through
the API), noted by that POST; the access log shows its reads.
"""

import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import ApiKey, Campaign, Organizer, hash_token, utcnow
from ..transactions import unit_of_work

KEY_PREFIX = "esk_"


class ApiKeyError(ValueError):
    """A key that cannot be made; the message says why."""


def create_api_key(organizer: Organizer, campaign: Campaign, label: str = "") -> str:
    """Make a key for an organizer of the campaign; returns the key, which is stored only hashed."""
    if campaign not in organizer.campaigns:
        raise ApiKeyError(f"{organizer.email} is not an organizer of /c/{campaign.slug}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work():
        db.session.add(
            ApiKey(organizer=organizer, campaign=campaign, key_hash=hash_token(key), label=label)
        )
    return key


def authorised_key(key: str | None, campaign_id: int) -> ApiKey | None:
    """The live key for this campaign, or None: revoked keys and keys of organizers who
    left the campaign or were deactivated open nothing. Reads only."""
    if not key or len(key) > 200:
        return None
    api_key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_token(key)))
    if api_key is None or api_key.revoked_at is not None or api_key.campaign_id != campaign_id:
        return None
    organizer = api_key.organizer
    if not organizer.is_active or api_key.campaign not in organizer.campaigns:
        return None
    return api_key


def note_change_made_with(api_key: ApiKey) -> None:
    """Record that the key just made a change; called by POSTs only, never by a GET."""
    with unit_of_work():
        api_key.last_used_at = utcnow()


def revoke_api_key(key_id: int) -> ApiKey | None:
    api_key = db.session.get(ApiKey, key_id)
    if api_key is not None and api_key.revoked_at is None:
        with unit_of_work():
            api_key.revoked_at = utcnow()
    return api_key
