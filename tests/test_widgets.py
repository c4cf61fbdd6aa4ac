"""The sliding-kernel widgets, driven headless (no browser): state, HTML, controls, GIF."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import ipywidgets
import numpy as np
import pytest
import scipy.signal
from PIL import Image

from helpers.widgets import SlidingKernel1D, SlidingKernel2D

X, W = [1, 2, 3, 4], [5, 6, 7]
A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
K = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
RNG = np.random.default_rng(0)
A7, K3 = RNG.integers(-3, 10, (7, 7)), RNG.integers(-2, 3, (3, 3))


def reference(sk, x, w):
    if isinstance(sk, SlidingKernel1D):
        return (np.convolve if sk.flip else np.correlate)(x, w, sk.mode)[::sk.stride]
    f = scipy.signal.convolve2d if sk.flip else scipy.signal.correlate2d
    return f(x, w, sk.mode)[::sk.stride, ::sk.stride]


def check_steps(sk, expected):
    """First, middle and last steps: exactly step + 1 cells filled, row-major."""
    assert sk.n_steps == expected.size and sk.output_so_far.shape == expected.shape
    for step in (0, sk.n_steps // 2, sk.n_steps - 1):
        sk.step = step
        got = sk.output_so_far.reshape(-1)
        assert (~np.isnan(got)).sum() == step + 1
        assert np.isnan(got[step + 1:]).all()
        np.testing.assert_array_equal(got[: step + 1], expected.reshape(-1)[: step + 1])
        assert sk.input_view.value.count('class="sk-win') == np.size(sk.frames.w)
        assert sk.output_view.value.count('class="sk-now"') == 1
        assert sk.output_view.value.count('class="sk-done"') == step
    np.testing.assert_array_equal(sk.output_so_far, expected)


def test_import_does_not_load_matplotlib():
    code = "import sys, helpers.widgets; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_is_a_displayable_box():
    sk = SlidingKernel1D(X, W)
    assert isinstance(sk, ipywidgets.VBox)
    bundle = sk._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == \
        "SlidingKernel1D(mode='full', flip=True, stride=1, step=0, n_steps=6)"


# ------------------------------------------------------------ the seed numbers


def test_seed_1d_formula_appears_at_step_2():
    sk = SlidingKernel1D(X, W, mode="full", flip=True)
    seen = []
    for step in range(sk.n_steps):
        sk.step = step
        seen.append("y[2] = 1·7 + 2·6 + 3·5 = 34" in sk.formula_view.value)
    assert seen == [False, False, True, False, False, False]
    assert sk.frame.formula == "y[5] = 4·7 + 0·6 + 0·5 = 28"


def test_seed_2d_valid_correlation():
    sk = SlidingKernel2D(A, K, mode="valid", flip=False)
    assert "C[0,0] = 1·1 + 1·0 + 1·1 + 0·0 + 1·1 + 1·0 + 0·1 + 0·0 + 1·1 = 4" in \
        sk.formula_view.value
    sk.step = 8
    np.testing.assert_array_equal(sk.output_so_far, [[4, 3, 4], [2, 4, 3], [2, 3, 4]])


# ------------------------------------------- every mode, flip and stride, set live


def test_1d_every_mode_flip_and_stride():
    for x, w in ((X, W), ([3, 1, 4, 1, 5, 9, 2], [2, -1, 1]), ([1, 2], [1, 2, 3, 4, 5])):
        sk = SlidingKernel1D(x, w)
        for mode, flip, stride in itertools.product(("valid", "same", "full"), (True, False),
                                                    (1, 2, 3)):
            sk.mode, sk.flip, sk.stride = mode, flip, stride
            check_steps(sk, reference(sk, x, w))


def test_2d_every_mode_flip_and_stride():
    for a, k in ((A, K), (A7, K3), (A7, [[1, 2], [3, 4]])):
        sk = SlidingKernel2D(a, k)
        for mode, flip, stride in itertools.product(("valid", "same", "full"), (True, False),
                                                    (1, 2, 3, 4)):
            sk.mode, sk.flip, sk.stride = mode, flip, stride
            assert sk.message == ""
            check_steps(sk, reference(sk, a, k))


def test_controls_rebuild_like_the_attributes():
    sk = SlidingKernel2D(A7, K3)
    sk.mode_menu.value = "full"
    sk.flip_buttons.value = True
    sk.stride_box.value = 2
    assert (sk.mode, sk.flip, sk.stride) == ("full", True, 2)
    check_steps(sk, reference(sk, A7, K3))


# ---------------------------------------------------------------- keep position


def test_changing_mode_keeps_the_output_index_or_clamps_it():
    sk = SlidingKernel2D(A7, K3, mode="full")         # 9x9 outputs
    sk.step = 2 * 9 + 3
    sk.mode = "valid"                                # 5x5: C[2,3] still exists
    assert sk.frame.index == (2, 3) and sk.step == 2 * 5 + 3
    sk.mode = "full"
    sk.step = 80                                     # C[8,8]
    sk.mode = "same"                                 # 7x7: clamped to C[6,6]
    assert sk.frame.index == (6, 6) and sk.step == 48


def test_changing_flip_keeps_the_step_and_stride_clamps():
    sk = SlidingKernel1D(X, W, mode="full")
    sk.step = 4
    sk.flip = False
    assert sk.step == 4 and sk.frame.formula == "y[4] = 3·5 + 4·6 + 0·7 = 39"
    sk.stride = 2                                    # 3 outputs: y[4] clamps to y[2]
    assert sk.step == 2 and sk.n_steps == 3
    np.testing.assert_array_equal(sk.output_so_far, np.correlate(X, W, "full")[::2])


# ---------------------------------------------------- impossible settings, bad input


def test_impossible_setting_constructs_and_shows_a_message():
    sk = SlidingKernel2D(A, [[1, 1, 1, 1, 1, 1]], mode="valid")
    assert sk.n_steps == 0 and sk.output_so_far.shape == (0, 0) and sk.frame is None
    assert "'valid'" in sk.message and "sk-message" in sk.info.value
    assert "Traceback" not in sk.info.value
    assert sk.slider.disabled and sk.play.disabled and sk.next_button.disabled
    sk.next_button.click()                           # nothing to do, no exception
    sk.step = 0                                      # the only step there is
    with pytest.raises(ValueError, match="step"):
        sk.step = 1
    sk.mode = "full"
    assert sk.message == "" and sk.n_steps == 5 * 10 and not sk.slider.disabled
    sk.mode_menu.value = "valid"                     # from the control: message again
    assert sk.n_steps == 0 and "sk-message" in sk.info.value


def test_kernel_longer_than_input_explains_the_swap():
    sk = SlidingKernel1D([1, 2], [1, 2, 3, 4, 5], mode="valid", flip=False)
    assert sk.message == "" and "swaps" in sk.info.value
    np.testing.assert_array_equal(sk.frames.output, np.correlate([1, 2], [1, 2, 3, 4, 5], "valid"))


@pytest.mark.parametrize(("make", "error", "name"), [
    (lambda: SlidingKernel1D("abc", W), TypeError, "x"),
    (lambda: SlidingKernel1D(X, [[5, 6, 7]]), ValueError, "w"),
    (lambda: SlidingKernel1D(X, []), ValueError, "w"),
    (lambda: SlidingKernel2D(A, [1, 2]), ValueError, "k"),
    (lambda: SlidingKernel2D(A, K, mode="wide"), ValueError, "mode"),
    (lambda: SlidingKernel2D(A, K, stride=0), ValueError, "stride"),
])
def test_bad_input_raises_naming_the_argument(make, error, name):
    with pytest.raises(error, match=name):
        make()


def test_bad_settings_raise_and_leave_the_widget_unchanged():
    sk = SlidingKernel1D(X, W)
    for attribute, value, error in (("mode", "wide", ValueError), ("flip", "yes", TypeError),
                                    ("stride", 0, ValueError), ("step", 6, ValueError)):
        with pytest.raises(error, match=attribute):
            setattr(sk, attribute, value)
    assert (sk.mode, sk.flip, sk.stride, sk.step) == ("full", True, 1, 0)


# ------------------------------------------------------------------ controls


def test_play_is_jslinked_to_the_slider():
    sk = SlidingKernel2D(A7, K3)
    assert isinstance(sk.link, ipywidgets.widgets.widget_link.Link)
    assert sk.link.source == (sk.play, "value") and sk.link.target == (sk.slider, "value")
    sk.mode = "full"
    assert sk.play.max == sk.slider.max == sk.n_steps - 1
    sk.slider.value = 7                              # what the browser sends while playing
    assert sk.step == 7 and sk.frame.index == (0, 7)


def test_buttons_speed_and_descriptions():
    sk = SlidingKernel1D(X, W)
    sk.prev_button.click()
    assert sk.step == 0
    for _ in range(10):
        sk.next_button.click()
    assert sk.step == 5
    sk.speed.value = 10
    assert sk.play.interval == 100
    for control in (sk.play, sk.prev_button, sk.next_button, sk.slider, sk.speed,
                    sk.mode_menu, sk.stride_box):
        assert control.tooltip
        assert control.layout.width


# ----------------------------------------------------------------------- HTML


def test_padding_cells_are_marked_in_padded_modes_only():
    sk = SlidingKernel2D(A, K, mode="valid")
    assert 'class="sk-pad"' not in sk.input_view.value
    sk.mode = "full"
    html = sk.input_view.value
    assert html.count('class="sk-pad"') + html.count('class="sk-winpad"') == 9 * 9 - 5 * 5
    assert "font-style:italic" in html and "repeating-linear-gradient" in html
    one_d = SlidingKernel1D(X, W, mode="same")
    assert one_d.input_view.value.count('class="sk-winpad"') == 1  # the window starts on it


def test_highlighted_cells_have_a_bold_border_and_their_number():
    sk = SlidingKernel1D(X, W)
    sk.step = 2
    now = sk.output_view.value.split('class="sk-now"')[1]
    assert "box-shadow:inset 0 0 0 3px #000" in now and ">34</td>" in now
    assert "#56B4E9" in now and "#E69F00" in sk.input_view.value
    assert "w</b> flipped" in sk.kernel_view.value


# ----------------------------------------------------------------- drawings


def test_save_animation_writes_one_gif_frame_per_step(tmp_path):
    sk = SlidingKernel1D(X, W)
    path = sk.save_animation(tmp_path / "seed.gif", fps=5, dpi=40)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == sk.n_steps == 6
    sk2 = SlidingKernel2D(A, K, stride=2)
    with Image.open(sk2.save_animation(tmp_path / "seed2d.gif", dpi=40)) as gif:
        assert gif.n_frames == 4
    with pytest.raises(ValueError, match="nothing to animate"):
        SlidingKernel2D(A, [[1, 1, 1, 1, 1, 1]]).save_animation(tmp_path / "none.gif")


def test_frame_figure_is_a_png_figure():
    sk = SlidingKernel2D(A, K, mode="same", flip=True)
    fig = sk.frame_figure(3)
    assert fig._repr_png_().startswith(b"\x89PNG")
    texts = [t.get_text() for t in fig.texts]
    assert any(t.startswith("C[0,3] = ") for t in texts)
    assert SlidingKernel2D(A, [[1] * 6]).frame_figure().texts  # the message, drawn


def test_filmstrip_shows_first_and_last_frames_as_a_pyplot_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    widget = SlidingKernel1D([1, 2, 3, 4], [5, 6, 7], mode="full", flip=True)
    fig = widget.filmstrip(max_frames=4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["step 1 of 6", "step 3 of 6", "step 4 of 6", "step 6 of 6"]
    assert plt.fignum_exists(fig.number)
    plt.close(fig)


# ------------------------------------------------- issue 16: errors that name the argument


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda sk: sk.filmstrip(max_frames=0), ValueError, "max_frames"),
    (lambda sk: sk.filmstrip(max_frames=-2), ValueError, "max_frames"),
    (lambda sk: sk.filmstrip(columns=0), ValueError, "columns"),
    (lambda sk: sk.filmstrip(max_frames=2.5), TypeError, "max_frames"),
    (lambda sk: sk.save_animation("unused.gif", dpi=-1), ValueError, "dpi"),
    (lambda sk: sk.frame_figure(-1), ValueError, "step"),
    (lambda sk: sk.frame_figure(6), ValueError, "step"),
])
def test_drawing_arguments_are_checked(call, error, name):
    with pytest.raises(error, match=name):
        call(SlidingKernel1D(X, W))


def test_huge_inputs_print_no_runtime_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sk = SlidingKernel1D(np.full(5, 1e300), np.full(3, 1e300))
        for step in range(sk.n_steps):
            sk.step = step
        assert "inf" in sk.formula_view.value
        sk2 = SlidingKernel2D(np.full((4, 4), 1e300), np.full((2, 2), -1e300), mode="full")
        sk2.step = sk2.n_steps - 1
        assert "-inf" in sk2.frame.formula


def test_a_refused_control_value_shows_a_message_not_a_traceback():
    sk = SlidingKernel2D(A, K)
    sk.mode_menu.value = "full"
    sk._on_setting("stride", 0)                       # what a stale front end could send
    assert "sk-message" in sk.info.value and "stride" in sk.info.value
    assert "Traceback" not in sk.info.value and sk.stride == 1


# ------------------------------------------------------------- the browser player


def test_the_player_is_html_with_every_setting_and_a_stable_id():
    sk = SlidingKernel2D(A, K)
    bundle = sk._repr_mimebundle_()
    html = bundle["text/html"]
    assert html.count('<script type="application/json"') == 1
    data = json.loads(html.split('class="skp-data">')[1].split("</script>")[0])
    assert set(data["configs"]) == {f"{m}/{f}/{s}" for m in ("valid", "same", "full")
                                   for f in (0, 1) for s in (1, 2, 3, 4)}
    assert data["configs"]["valid/0/1"]["out"] == [["4", "3", "4"], ["2", "4", "3"],
                                                    ["2", "3", "4"]]
    again = SlidingKernel2D(A, K)._repr_mimebundle_()["text/html"]
    first_id = html.split('id="')[1].split('"')[0]
    assert again.split('id="')[1].split('"')[0] != first_id  # two players on one page
    assert first_id.startswith("skp-") and "uuid" not in html
    for name in ("Play", "Previous", "Next", "Step ", "Speed ", "Mode ",
                 "Operation ", "Stride "):
        assert name in html
    assert 'aria-live="polite"' in html and "need the notebook to be run" in html


def test_frame_figure_shows_with_its_formula_as_alt_text():
    fig = SlidingKernel1D(X, W).frame_figure(2)
    html = fig._repr_mimebundle_()["text/html"]
    assert html.startswith('<img src="data:image/png;base64,')
    assert 'alt="The kernel over the input and the output so far. Step 3 of 6: ' \
           'y[2] = 1·7 + 2·6 + 3·5 = 34"' in html


def test_the_2d_widget_shows_the_notebooks_own_names():
    from helpers.widgets import SlidingKernel2D

    sk = SlidingKernel2D(np.arange(25).reshape(5, 5), np.eye(3), names=("image", "B2", "out"))
    assert sk._frames.names == ("image", "B2", "out")
    assert sk._frames.frame(0).formula.startswith("out[0,0] = ")
    sk.mode = "same"  # a rebuilt setting keeps the names
    assert sk._frames.names == ("image", "B2", "out")
    with pytest.raises(TypeError, match="names must be three non-empty strings"):
        SlidingKernel2D(np.ones((3, 3)), np.ones((2, 2)), names=("A", "K"))
