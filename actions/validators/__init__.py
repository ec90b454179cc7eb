"""Pure parsing and validation of what people type in the employer and newcomer forms.

No Rasa, no database: every function takes a string (and a reference date when time
matters) and returns a normalised value, or None when the answer cannot be used.
One module per kind of answer; the names are re-exported here for the forms.
"""

from actions.validators.contacts import (
    luhn_is_valid,
    normalise_email,
    normalise_french_phone,
    normalise_siret,
)
from actions.validators.dates import MONTHS, WEEKDAYS, parse_start_date
from actions.validators.household import (
    NEEDS,
    Children,
    mentions_spouse,
    parse_children,
    parse_needs,
    spouse_seeks_work,
)
from actions.validators.jobs import JobAnswer, read_job_answer
from actions.validators.text import (
    LEAD_CONTRACTS,
    MAX_FREE_TEXT,
    clean_free_text,
    parse_contract,
    parse_count,
)

__all__ = [
    "LEAD_CONTRACTS",
    "MAX_FREE_TEXT",
    "MONTHS",
    "NEEDS",
    "WEEKDAYS",
    "Children",
    "JobAnswer",
    "clean_free_text",
    "luhn_is_valid",
    "mentions_spouse",
    "normalise_email",
    "normalise_french_phone",
    "normalise_siret",
    "parse_children",
    "parse_contract",
    "parse_count",
    "parse_needs",
    "parse_start_date",
    "read_job_answer",
    "spouse_seeks_work",
]
