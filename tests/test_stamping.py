"""The stamping-kernel widgets (the sliding-kernel widget, transposed), without a browser.

The player's data is checked by replaying it in Python exactly as the browser does (copy
each step's texts onto the canvas): every step must give the model's output and counts.
"""

from __future__ import annotations

import json
import re

import ipywidgets
import numpy as np
import pytest

from helpers.conv import conv_transpose1d, conv_transpose2d
from helpers.widgets import StampingKernel1D, StampingKernel2D
from helpers.widgets import player as hp
from helpers.widgets.frames import fmt
from helpers.widgets.stamps import stamps_1d, stamps_2d

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def player_data(sk) -> dict:
    """The JSON the player carries in its HTML."""
    html = sk._repr_mimebundle_()["text/html"]
    raw = re.search(r'<script type="application/json" class="skp-data">(.*?)</script>', html,
                    re.DOTALL)[1]
    return json.loads(raw.replace("<\\/", "</"))


def replay(config: dict, step: int) -> tuple[np.ndarray, np.ndarray]:
    """What the browser paints at ``step``: each stamp's texts copied onto the canvas."""
    crop = np.array(config["crop"])
    out, counts = np.full(crop.shape, "0", dtype=object), np.full(crop.shape, "0", dtype=object)
    for st in config["steps"][:step + 1]:
        r0, c0 = st["at"]
        block = np.array(st["out"], dtype=object)
        rows, cols = block.shape
        out[r0:r0 + rows, c0:c0 + cols] = block
        counts[r0:r0 + rows, c0:c0 + cols] = np.array(st["count"], dtype=object)
    return out, counts


def test_is_a_displayable_box_with_the_player_as_html():
    sk = StampingKernel1D([1, 2, 3], [5, 6, 7], stride=2)
    assert isinstance(sk, ipywidgets.VBox)
    bundle = sk._repr_mimebundle_()
    assert WIDGET_MIME in bundle
    assert bundle["text/plain"] == "StampingKernel1D(stride=2, padding=0, step=0, n_steps=3)"
    html = bundle["text/html"]
    assert html.startswith('<div class="skp"') and 'aria-label="A transposed convolution' in html
    assert sk.view.outputs[0]["data"]["text/html"].count('class="skp"') == 1


@pytest.mark.parametrize("make, model, x, w", [
    (StampingKernel1D, stamps_1d, [1, 2, 3], [5, 6, 7]),
    (StampingKernel1D, stamps_1d, [1, -2.5, 0.5, 4], [1, 0, 2, 1]),
    (StampingKernel2D, stamps_2d, [[1, 2], [3, 4]], np.ones((3, 3))),
    (StampingKernel2D, stamps_2d, [[1, 0, 2], [-1, 3, 1]], [[1, 2], [0, -1]]),
])
def test_every_setting_replays_to_the_models_numbers(make, model, x, w):
    data = player_data(make(x, w))
    assert data["kind"] == "stamp" and data["start"] == "1/0" and data["step"] == 0
    k = max(np.shape(w))
    assert set(data["configs"]) == {f"{s}/{p}" for s in range(1, 5) for p in range(max(k - 1, 1) + 1)}
    for key, config in data["configs"].items():
        stride, padding = map(int, key.split("/"))
        try:
            st = model(x, w, stride, padding)
        except ValueError as exc:
            assert config["steps"] == [] and config["message"] == str(exc)
            assert str(exc) in config["info"] and "Traceback" not in config["info"]
            continue
        assert np.array_equal(np.array(config["crop"], bool), np.atleast_2d(st.is_cropped))
        for step in range(st.n_steps):
            out, counts = replay(config, step)
            frame = st.frame(step)
            assert out.ravel().tolist() == [fmt(v) for v in frame.output.ravel()], (key, step)
            assert counts.ravel().tolist() == [str(c) for c in frame.counts.ravel()], (key, step)
            assert config["steps"][step]["formula"] == frame.formula
        final = conv_transpose1d(np.asarray(x, float), np.asarray(w, float), stride, padding) \
            if st.x.ndim == 1 else conv_transpose2d(np.asarray(x, float)[None, None],
                                                    np.asarray(w, float)[None, None], None,
                                                    stride, padding)[0, 0]
        keep = ~np.atleast_2d(st.is_cropped)
        assert out[keep].tolist() == [fmt(v) for v in np.ravel(final)]


def test_attributes_follow_the_model_and_the_step():
    sk = StampingKernel2D([[1, 2], [3, 4]], np.ones((3, 3)), stride=2)
    model = stamps_2d([[1, 2], [3, 4]], np.ones((3, 3)), stride=2)
    for step in range(4):
        sk.step = step
        np.testing.assert_array_equal(sk.output_so_far, model.output_so_far(step))
        np.testing.assert_array_equal(sk.counts_so_far, model.counts_so_far(step))
        assert sk.frame.formula == model.frame(step).formula
    assert sk.output_so_far[2, 2] == 10 and sk.counts_so_far[2, 2] == 4
    sk.stride = 1                                   # the step (the input entry) is kept
    assert (sk.step, sk.stride, sk.frame.formula) == (3, 1, "C[1:4, 1:4] += A[1,1]·K = 4·K")
    sk.padding = 1
    assert sk.stamps.output.shape == (2, 2) and sk.step == 3


def test_the_names_are_the_notebooks():
    sk = StampingKernel1D([1, 2, 3], [5, 6, 7], stride=2, names=("y", "w", "x"))
    assert sk.frame.formula == "x[0:3] += y[0]·w = 1·[5, 6, 7]"
    html = sk._repr_mimebundle_()["text/html"]
    assert "x = helpers.conv.conv_transpose1d(y, w, stride=2, padding=0)" in html


def test_a_padding_that_crops_everything_is_a_message_not_a_traceback():
    sk = StampingKernel1D([1, 2], [1, 1], padding=2)
    assert sk.n_steps == 0 and sk.frame is None and sk.output_so_far.size == 0
    assert sk.message == "padding: 2 on each side leaves no output (size -1)"
    sk.step = 0                                     # allowed, as for an impossible SlidingKernel
    with pytest.raises(ValueError, match="step must be 0: there are no steps"):
        sk.step = 1
    html = sk._repr_mimebundle_()["text/html"]
    assert 'class="sk-message" role="status"' in html and sk.message in html
    sk.padding = 0                                  # back to a setting with steps
    assert sk.n_steps == 2 and sk.message == ""


@pytest.mark.parametrize("call, error, name", [
    (lambda: StampingKernel1D([1, np.nan], [1, 1]), ValueError, "x must contain only finite"),
    (lambda: StampingKernel1D([[1, 2]], [1, 1]), ValueError, "x must be a 1D array"),
    (lambda: StampingKernel2D([1, 2], [[1]]), ValueError, "A must be a 2D array"),
    (lambda: StampingKernel1D([1, 2], [1, 1], stride=0), ValueError, "stride must be"),
    (lambda: StampingKernel1D([1, 2], [1, 1], padding=-1), ValueError, "padding must be"),
    (lambda: StampingKernel1D([1, 2], [1, 1], stride=1.5), TypeError, "stride must be"),
    (lambda: StampingKernel1D(["a"], [1, 1]), TypeError, "x must"),
    (lambda: StampingKernel1D([1], [1], names=("x", "w")), TypeError, "names must be three"),
])
def test_bad_input_raises_naming_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_a_refused_setting_leaves_the_widget_unchanged():
    sk = StampingKernel1D([1, 2, 3], [5, 6, 7], stride=2)
    sk.step = 2
    for attribute, value in (("stride", 0), ("padding", -1), ("step", 3)):
        with pytest.raises(ValueError, match=attribute):
            setattr(sk, attribute, value)
    assert (sk.stride, sk.padding, sk.step) == (2, 0, 2)


def test_without_scripts_the_current_step_is_drawn_as_tables():
    sk = StampingKernel2D([[1, 2], [3, 4]], np.ones((3, 3)), stride=2)
    sk.step = 3
    html = sk._repr_mimebundle_()["text/html"]
    static = html.split('<script type="application/json"')[0]
    assert "C[2:5, 2:5] += A[1,1]·K = 4·K" in static
    assert "The controls need the notebook to be run" in static
    assert static.count('class="sk-now"') == 2 * 9   # output and counts under the stamp
    assert static.count('class="sk-win"') == 1       # the pixel that stamps
    assert '<select class="skp-stride sk-stride skp-setting" disabled>' in static
    assert '<select class="skp-padding sk-padding skp-setting" disabled>' in static


def test_the_sliding_players_controls_are_unchanged_by_the_shared_shell():
    html = hp.controls_html("full/1/2", 0, 6, 4)
    assert re.findall(r'<(?:button|input|select)[^>]*class="(skp-\w+)', html) == [
        "skp-play", "skp-prev", "skp-step", "skp-next", "skp-fps", "skp-mode", "skp-flip",
        "skp-stride"]
    assert re.findall(r'<option value="([^"]+)" selected>', html) == ["2", "full", "1", "2"]
