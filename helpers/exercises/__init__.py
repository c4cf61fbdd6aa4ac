"""Exercise checks with specific feedback, one module per notebook.

``helpers.exercises.core`` holds the machinery (:func:`~helpers.exercises.core.exercise`,
:class:`~helpers.exercises.core.Feedback`, the comparisons). ``nb01`` … ``nb07`` hold
the checks that each notebook's exercise cells call, for example::

    from helpers.exercises import nb05
    nb05.check_full_convolution(answer)
"""

from helpers.exercises.core import Feedback, compare_array, compare_shape, exercise

__all__ = ["Feedback", "compare_array", "compare_shape", "exercise"]
