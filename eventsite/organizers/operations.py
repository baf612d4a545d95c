"""Changes to an organizer's own account, each one transaction."""

from ..extensions import db
from ..models import Organizer


def end_sessions(organizer: Organizer) -> None:
    """Log the organizer out on every device: session cookies issued so far stop working."""
    organizer.end_sessions()
    db.session.commit()


def save_login(organizer: Organizer) -> None:
    """Keep what logging in changed: a password hash kept anew (Organizer.check_password)."""
    db.session.commit()
