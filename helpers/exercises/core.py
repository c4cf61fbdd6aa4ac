"""The machinery behind every exercise check: three outcomes, never a traceback.

A check is a function decorated with :func:`exercise`. It receives the student's
answer and returns a :class:`Feedback`:

- ``correct``;
- ``not attempted``: the answer is still the placeholder ``...`` (or ``None``), or
  a function the student has not written yet returns ``None``;
- ``incorrect``: a *specific* diagnosis of the usual mistake, such as the values of
  cross-correlation where convolution was asked for.

Whatever the student passes in, and whatever their function raises, the check
returns feedback instead of raising.

Examples
--------
>>> from helpers.exercises.core import exercise, compare_array
>>> @exercise
... def check_double(answer):
...     return compare_array(answer, [2, 4])
>>> check_double(...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
>>> check_double([2, 4])
✔ correct
>>> check_double([[2], [4]])
✘ not yet: shape (2, 1) but expected (2,).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

CORRECT, NOT_ATTEMPTED, INCORRECT = "correct", "not attempted", "incorrect"
_PREFIX = {CORRECT: "✔ correct", NOT_ATTEMPTED: "… not attempted yet", INCORRECT: "✘ not yet"}
PLACEHOLDER_HINT = "replace the `...` placeholder with your answer, then run this cell again."


@dataclass(frozen=True)
class Feedback:
    """The outcome of a check: a status and a message a student can act on."""

    status: str
    message: str = ""

    def __repr__(self) -> str:
        prefix = _PREFIX[self.status]
        return f"{prefix}: {self.message}" if self.message else prefix

    def __bool__(self) -> bool:
        return self.status == CORRECT


def correct(message: str = "") -> Feedback:
    """Feedback for a right answer, with an optional remark."""
    return Feedback(CORRECT, message)


def incorrect(message: str) -> Feedback:
    """Feedback for a wrong answer: the message says what is wrong and why."""
    return Feedback(INCORRECT, message)


def not_attempted() -> Feedback:
    """Feedback while the placeholder is untouched."""
    return Feedback(NOT_ATTEMPTED, PLACEHOLDER_HINT)


class NotAttempted(Exception):
    """Raised inside a check when an answer is still a placeholder."""


class StudentCodeError(Exception):
    """Raised inside a check when the student's own function raised."""


def is_placeholder(value: Any) -> bool:
    """True for the placeholders the student edition leaves: ``...`` and ``None``."""
    return value is Ellipsis or value is None


def call_student(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a function the student wrote; a placeholder or an error becomes feedback."""
    if is_placeholder(func):
        raise NotAttempted
    if not callable(func):
        raise StudentCodeError(f"expected a function, got {type(func).__name__}")
    try:
        result = func(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - any error in student code is feedback
        raise StudentCodeError(f"your function raised {type(err).__name__}: {err}") from err
    if is_placeholder(result):
        raise NotAttempted
    return result


def check_cases(func: Any, cases: Any, judge: Callable[..., Feedback], success: str) -> Feedback:
    """Call the student's ``func`` on each case; the first wrong result is the feedback.

    ``cases`` holds argument tuples; ``judge(result, *case)`` returns a Feedback. Each
    call gets copies of array arguments, so a function that changes its input in place
    cannot spoil the next case.
    """
    for case in cases:
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in case]
        feedback = judge(call_student(func, *args), *case)
        if not feedback:
            return feedback
    return correct(success)


def exercise(check: Callable[..., Feedback]) -> Callable[..., Feedback]:
    """Turn a check into one that never raises and knows about placeholders."""

    @functools.wraps(check)
    def wrapper(*answers: Any, **kw: Any) -> Feedback:
        if any(is_placeholder(a) for a in (*answers, *kw.values())):
            return not_attempted()
        try:
            return check(*answers, **kw)
        except NotAttempted:
            return not_attempted()
        except StudentCodeError as err:
            return incorrect(str(err))
        except Exception as err:  # noqa: BLE001 - a check must never show a traceback
            return incorrect(f"could not check this answer ({type(err).__name__}: {err}).")

    return wrapper


def as_array(answer: Any, name: str = "your answer") -> np.ndarray:
    """The answer as a numeric array, or a StudentCodeError that says what it was."""
    try:
        arr = np.asarray(answer)
    except Exception as err:  # noqa: BLE001 - ragged lists and the like
        raise StudentCodeError(f"{name} could not be turned into an array ({err}).") from err
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) and arr.dtype != bool:
        raise StudentCodeError(f"{name} should hold numbers; got {type(answer).__name__}.")
    return arr


def whole_numbers(answer: Any, labels: str, count: int) -> tuple[int, ...]:
    """The answer as ``count`` whole numbers, or a StudentCodeError naming ``labels``.

    ``labels`` reads like "(full, same, valid)" and goes into the feedback.
    """
    word = {2: "two", 3: "three", 4: "four"}.get(count, str(count))
    try:
        got = tuple(int(v) for v in answer)
    except (TypeError, ValueError) as err:
        raise StudentCodeError(f"write {word} whole numbers, {labels}; got {answer!r}.") from err
    if len(got) != count:
        raise StudentCodeError(f"write {word} numbers, {labels}; got {len(got)}.")
    return got


def _shape_hint(got: tuple, want: tuple) -> str:
    msg = f"shape {got} but expected {want}"
    if len(got) == 2 and got == want[::-1]:
        return msg + ": row- versus column-vector convention? (transpose it)"
    if len(got) == len(want) and all(g == w - 1 for g, w in zip(got, want, strict=True)):
        return msg + ": off by one in every dimension (check the window size or the +1)"
    if len(got) == len(want) and all(g == w + 1 for g, w in zip(got, want, strict=True)):
        return msg + ": one too many in every dimension (check the window size or the +1)"
    return msg + "."


def compare_array(
    answer: Any,
    expected: Any,
    alternatives: Mapping[str, Any] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    name: str = "your answer",
) -> Feedback:
    """Compare an array answer; explain shape errors and recognised wrong answers.

    ``alternatives`` maps a diagnosis message to the value a known mistake produces,
    for example ``{"the values match cross-correlation: did you forget to flip the
    kernel?": correlate2d(a, k)}``. A factor of 2 or ½ is recognised on its own.
    """
    got, want = as_array(answer, name), np.asarray(expected)
    for message, value in (alternatives or {}).items():
        alt = np.asarray(value)
        if got.shape == alt.shape and np.allclose(got, alt, rtol=rtol, atol=atol):
            return incorrect(message)
    if got.shape != want.shape:
        return incorrect(_shape_hint(got.shape, want.shape))
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return correct()
    return incorrect(_value_hint(got, want, rtol, atol))


def _value_hint(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> str:
    if np.allclose(got, 2 * want, rtol=rtol, atol=atol) and np.any(want != 0):
        return "every value is 2× too large: is a factor ½ missing?"
    if np.allclose(2 * got, want, rtol=rtol, atol=atol) and np.any(want != 0):
        return "every value is half of what it should be: is a factor 2 too many?"
    if np.allclose(got, -want, rtol=rtol, atol=atol) and np.any(want != 0):
        return "every value has the wrong sign."
    bad = np.argwhere(~np.isclose(got, want, rtol=rtol, atol=atol))
    where = tuple(int(i) for i in bad[0])
    return (
        f"the shape is right but {len(bad)} of {want.size} values differ; the first is at "
        f"index {where}: yours {_fmt(got[where])}, expected {_fmt(want[where])}."
    )


def _fmt(value: Any) -> str:
    return f"{float(value):.6g}"


def compare_value(answer: Any, expected: float, alternatives: Mapping[str, Any] | None = None,
                  rtol: float = 1e-6) -> Feedback:
    """Compare a single number; ``alternatives`` as in :func:`compare_array`."""
    got = as_array(answer)
    if got.size != 1:
        return incorrect(f"expected a single number; got an array of shape {got.shape}.")
    return compare_array(got.reshape(()), np.asarray(expected, dtype=float),
                         alternatives, rtol=rtol)


def compare_shape(answer: Any, expected: tuple[int, ...]) -> Feedback:
    """Compare a predicted shape such as ``(4, 2)``, diagnosing transposes and off-by-ones."""
    try:
        got = tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return incorrect(f"a shape is a tuple of whole numbers like (4, 2); got {answer!r}.")
    want = tuple(expected)
    if got == want:
        return correct()
    return incorrect(_shape_hint(got, want))
