"""API keys: bearer tokens an organizer makes for reading one campaign's attendances."""

import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import ApiKey, Campaign, Organizer, hash_token, utcnow

KEY_PREFIX = "esk_"


class ApiKeyError(ValueError):
    """A key that cannot be made; the message says why."""


def create_api_key(organizer: Organizer, campaign: Campaign, label: str = "") -> str:
    """Make a key for an organizer of the campaign; returns the key, which is stored only hashed."""
    if campaign not in organizer.campaigns:
        raise ApiKeyError(f"{organizer.email} is not an organizer of /c/{campaign.slug}.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiKey(organizer=organizer, campaign=campaign, key_hash=hash_token(key), label=label)
    )
    db.session.commit()
    return key


def authorised_key(key: str | None, campaign_id: int) -> ApiKey | None:
    """The live key for this campaign, or None: revoked keys and keys of organizers who
    left the campaign or were deactivated open nothing."""
    if not key or len(key) > 200:
        return None
    api_key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_token(key)))
    if api_key is None or api_key.revoked_at is not None or api_key.campaign_id != campaign_id:
        return None
    organizer = api_key.organizer
    if not organizer.is_active or api_key.campaign not in organizer.campaigns:
        return None
    api_key.last_used_at = utcnow()
    db.session.commit()
    return api_key


def revoke_api_key(key_id: int) -> ApiKey | None:
    api_key = db.session.get(ApiKey, key_id)
    if api_key is not None and api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        db.session.commit()
    return api_key
