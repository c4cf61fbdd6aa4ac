"""Moved: the checks live in :mod:`helpers.checks` (kept until every caller imports it)."""

from helpers.checks import *  # noqa: F403
from helpers.checks import as_array, check_choice, check_int, result_dtype  # noqa: F401
