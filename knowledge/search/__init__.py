"""The knowledge search API used by the actions (see docs/CONTRACTS.md).

Every function takes the caller's ``Session``; results are frozen views.
"""

from knowledge.search.offers import search_offers
from knowledge.search.place import PlaceMatch, resolve_place
from knowledge.search.schemes import (
    find_scheme_by_name,
    get_scheme,
    organisations_by_id,
    organisations_for,
    search_schemes,
)
from knowledge.views import (
    OfferHit,
    OfferView,
    OrganisationView,
    SchemeHit,
    SchemeView,
)

__all__ = [
    "OfferHit",
    "OfferView",
    "OrganisationView",
    "PlaceMatch",
    "SchemeHit",
    "SchemeView",
    "find_scheme_by_name",
    "get_scheme",
    "organisations_by_id",
    "organisations_for",
    "resolve_place",
    "search_offers",
    "search_schemes",
]
