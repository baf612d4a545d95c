"""The requests of a day of action, as one weighted list wrk draws from at random.

People search from the zip codes where they live (weighted like the benchmark's events:
big metros and dense areas far more than the countryside), open the event pages that were
shared with them (a few shared events take most views: Zipf-like popularity), and a few
of them RSVP, mostly to those same popular events.
"""

import itertools
import random

from .data import PlacePicker

# Shares of the mix; event pages take the rest.
SEARCH_SHARE = 0.45
RSVP_SHARE = 0.05
# Popularity of the event at rank r is proportional to 1 / r ** ZIPF_EXPONENT.
ZIPF_EXPONENT = 1.1
# Entries in the list wrk draws from: enough that the tails show up.
MIX_SIZE = 20_000
RSVP_SUFFIX = "/rsvp"


def popular_events(event_ids: list[int], rng: random.Random, count: int) -> list[int]:
    """`count` draws from event_ids with Zipf-like popularity by their order in the list."""
    weights = (1 / rank**ZIPF_EXPONENT for rank in range(1, len(event_ids) + 1))
    return rng.choices(event_ids, cum_weights=list(itertools.accumulate(weights)), k=count)


def day_of_action_paths(
    event_ids: list[int], rng: random.Random, size: int = MIX_SIZE
) -> list[str]:
    """Paths in their day-of-action proportions; RSVP POSTs end in RSVP_SUFFIX."""
    picker = PlacePicker(rng)
    searches = round(size * SEARCH_SHARE)
    rsvps = round(size * RSVP_SHARE)
    paths = [f"/events?zip={picker.pick_resident_zip()}" for _ in range(searches)]
    paths += [f"/events/{i}{RSVP_SUFFIX}" for i in popular_events(event_ids, rng, rsvps)]
    paths += [f"/events/{i}" for i in popular_events(event_ids, rng, size - searches - rsvps)]
    rng.shuffle(paths)
    return paths
