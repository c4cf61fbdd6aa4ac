"""Moved: the checks live in :mod:`helpers.checks` (kept until every caller imports it)."""

from helpers.checks import *  # noqa: F403
from helpers.checks import (  # noqa: F401
    CACHE_KEYS,
    PARAM_KEYS,
    MissingKeyError,
    as_float_array,
    check_cache,
    check_keys,
    check_params,
    check_positive,
    check_same_shape,
    check_shape,
    check_X,
)
from helpers.checks import check_int as check_count  # noqa: F401
