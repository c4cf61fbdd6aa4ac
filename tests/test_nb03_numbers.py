"""The numbers notebook 03 quotes: recomputed with helpers, and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from helpers.conv import conv2d_forward, correlate2d, output_size, pad2d
from helpers.data import load_grace_hopper_gray
from helpers.exercises import nb03
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.kernels import box_blur, fit_kernel, image_filters, kernel_loss_and_gradient, sobel_x

NB = "03"


def shown(snippet: str, text: str) -> bool:
    """``snippet`` was printed, ignoring whitespace: the kernel may split a stream anywhere."""
    return "".join(snippet.split()) in "".join(text.split())
A = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]])
K = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])


@pytest.fixture(scope="module")
def img():
    return load_grace_hopper_gray()


def test_the_seed_arrays_are_the_ones_the_checks_use():
    assert np.array_equal(nb03.A, A) and np.array_equal(nb03.K, K)


def test_first_window_by_hand_is_4(notebook_text):
    window = A[0:3, 0:3]
    products = [1 * 1, 1 * 0, 1 * 1, 0 * 0, 1 * 1, 1 * 0, 0 * 1, 0 * 0, 1 * 1]  # the LaTeX line
    assert sorted((window * K).ravel().tolist()) == sorted(products)
    assert np.sum(window * K) == sum(products) == 4
    assert shown("sum of the products: 4", notebook_text(NB))


def test_the_whole_valid_output(notebook_text):
    expected = np.array([[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    for method in ("loops", "fast", "direct", "fft"):
        assert np.array_equal(correlate2d(A, K, "valid", method=method), expected)
    assert np.array_equal(signal.correlate2d(A, K, "valid"), expected)
    assert shown("C =\n[[4 3 4]\n [2 4 3]\n [2 3 4]]", notebook_text(NB))
    assert shown("the widget's 9 steps give the same C: True", notebook_text(NB))


def test_loops_vectorised_and_scipy_agree_in_the_notebook(notebook_text):
    text = notebook_text(NB)
    for line in ("my loop == helpers loops:   True", "my loop == helpers fast:    True",
                 "equal to the loops: True"):
        assert shown(line, text)


def test_two_different_products_with_the_same_sum(notebook_text):
    first, third = A[0:3, 0:3] * K, A[0:3, 2:5] * K
    assert not np.array_equal(first, third) and first.sum() == third.sum() == 4
    assert shown("same products? False | same output? True", notebook_text(NB))


def test_shape_mismatch_misconception(notebook_text):
    text = notebook_text(NB)
    assert shown("operands could not be broadcast together with shapes (5,5) (3,3)", text)
    assert "Traceback" not in text
    # the seed's dot(A[i:i+2, j:j+2], C) is corrected once, in notebook 04
    assert "i:i+2" not in text


def test_the_kernel_entries_are_the_weights(notebook_text):
    # seed 000: "an additional filtering step before passing through the weights"
    text = notebook_text(NB)
    assert K.size + 1 == 10 and A.size * 9 == 225 and 225 + 9 == 234 and 9 * 9 == 81
    assert shown("9 kernel weights + 1 bias = 10 parameters, used 81 times "
                 "(9 positions × 9 products)", text)
    assert shown("25·9 = 225 weights + 9 biases = 234 parameters", text)


def test_output_sizes(notebook_text):
    assert output_size(5, 3) == 3
    assert [output_size(5, 3, padding=p) for p in (0, 1, 2)] == [3, 5, 7]
    assert [correlate2d(A, K, mode=m).shape for m in ("valid", "same", "full")] == [
        (3, 3), (5, 5), (7, 7)]
    assert output_size(5, 3, stride=2) == 2 and output_size(6, 3, stride=2) == 2
    text = notebook_text(NB)
    assert shown("output_size(5, 3) = 3 | C.shape = (3, 3)", text)
    assert shown("full   p = 2:  5 + 2·2 - 3 + 1 = 7   correlate2d(...).shape = (7, 7)", text)
    assert shown("(6 - 3) / 2 = 1.5 -> output_size(6, 3, stride=2) = 2", text)


def test_stride_two_output(notebook_text):
    out, _ = conv2d_forward(A[None, None], K[None, None], np.zeros(1, dtype=int), stride=2)
    assert np.array_equal(out[0, 0], [[4, 4], [2, 4]])
    assert shown("output_size(5, 3, stride=2) = 2\n[[4 4]\n [2 4]]", notebook_text(NB))


def test_same_mode_output(notebook_text):
    same = correlate2d(A, K, mode="same")
    assert same.shape == (5, 5) and same[0, 0] == 2
    assert shown("C_same =\n" + str(same), notebook_text(NB))


def test_border_after_a_blur(img, notebook_text):
    text = notebook_text(NB)
    assert shown(f"mean of the photo's top row:             {img[0].mean():.3f}", text)
    means = {}
    for mode in ("zero", "reflect", "replicate", "wrap"):
        blurred = correlate2d(pad2d(img, 4, mode), box_blur(9), mode="valid")
        assert blurred.shape == img.shape
        means[mode] = blurred[0].mean()
        assert shown(f"{mode:9} pad: {means[mode]:.3f}", text)
    assert means["zero"] < means["wrap"] < means["replicate"] < means["reflect"]


def test_photo_and_filter_output_shapes(img, notebook_text):
    assert img.shape == (600, 512)
    expected = {"box blur": (598, 510), "Gaussian blur": (596, 508), "sharpen": (598, 510),
                "Sobel x": (598, 510), "Sobel y": (598, 510)}
    text = notebook_text(NB)
    assert shown("shape (600, 512) | dtype float64", text)
    for name, k in image_filters().items():
        out = correlate2d(img, k, mode="valid")
        assert out.shape == expected[name]
        assert shown(f"{name:13}  kernel {k.shape}  ->  output {expected[name]}", text)


def test_gradient_magnitude_at_one_pixel(img, notebook_text):
    filters = image_filters()
    gx = correlate2d(img, filters["Sobel x"], "valid")
    gy = correlate2d(img, filters["Sobel y"], "valid")
    mag = np.hypot(gx, gy)[200, 250]
    assert np.isclose(mag, np.sqrt(gx[200, 250] ** 2 + gy[200, 250] ** 2))
    assert shown(f"gx = {gx[200, 250]:.4f}, gy = {gy[200, 250]:.4f}", notebook_text(NB))
    assert shown(f"hypot = {mag:.4f}", notebook_text(NB))
    # output coordinates: output (200, 250) is the window img[200:203, 250:253]
    assert np.isclose(gx[200, 250], np.sum(img[200:203, 250:253] * filters["Sobel x"]))
    assert shown("output pixel (200, 250)", notebook_text(NB))
    assert shown("its window is centred on photo pixel (201, 251): True", notebook_text(NB))


def test_loops_and_fast_agree_on_the_crop(img, notebook_text):
    eyes = img[180:280, 200:300]
    sobel = image_filters()["Sobel x"]
    loops = correlate2d(eyes, sobel, "valid", method="loops")
    assert np.allclose(loops, correlate2d(eyes, sobel, "valid"))
    assert shown("same numbers: True | output shape (98, 98)", notebook_text(NB))


def test_exercise_answers_are_the_stored_outputs(notebook_text):
    assert correlate2d(A, K, "valid")[1, 0] == 2
    assert tuple(output_size(n, 7, 2, 3) for n in (600, 512)) == (200, 170)
    text = notebook_text(NB)
    assert shown("✔ correct: C[1, 0] = 2", text)
    assert text.count("✔ correct") >= 4


def test_two_products_with_the_same_sum_replace_the_hammond_code_cell(notebook_text):
    text = notebook_text(NB)
    assert "entry-by-entry products" not in text   # a misspelling gets a sentence, not a cell
    assert shown("sum of the Hadamard product == dot product of the flattened arrays: True", text)


def test_wrap_brings_in_the_darker_bottom_row(img, notebook_text):
    assert img[-1].mean() < img[0].mean()
    assert shown(f"mean of the photo's bottom row:          {img[-1].mean():.3f}", notebook_text(NB))
    assert 4 * 9 == 36  # the prose: with padding 4, four of the nine window rows are zeros
    zero_rows = pad2d(np.ones((9, 9)), 4, "zero")[:9, 4:13]
    assert (zero_rows == 0).sum() == 36
    assert shown("padding zeros under the first 9×9 window: 36 of 81", notebook_text(NB))


def test_direct_or_fft_counts(notebook_text):
    text = notebook_text(NB)
    for k in (3, 9, 31):
        direct = output_size(600, k) * output_size(512, k) * k * k
        points = (600 + k - 1) * (512 + k - 1)
        assert shown(f"direct {direct / 1e6:5.1f} M multiply-adds, FFT of {points / 1e3:.0f} k "
                     "points", text)
    assert f"{598 * 510 * 9 / 1e6:.1f}" == "2.7"


def _learning_problem(img):
    images = [img[::8, ::8], img[4::8, 4::8]]
    targets = [signal.correlate2d(x, sobel_x(), "valid") for x in images]
    return images, targets, np.random.default_rng(0).normal(size=(3, 3))


def test_the_random_start_is_the_first_draw_of_the_seeded_rng(img, notebook_text):
    images, targets, start = _learning_problem(img)
    assert [(x.shape, y.shape) for x, y in zip(images, targets, strict=True)] == [
        ((75, 64), (73, 62))] * 2
    text = notebook_text(NB)
    assert shown("pairs (image, target): [((75, 64), (73, 62)), ((75, 64), (73, 62))]", text)
    assert shown("random start:\n" + str(start.round(2)), text)

    def neighbours(x):
        return np.corrcoef(x[:, :-1].ravel(), x[:, 1:].ravel())[0, 1]

    assert (f"{neighbours(img):.2f}", f"{neighbours(images[0]):.2f}") == ("0.97", "0.74")
    assert shown("correlation of horizontal neighbours: 0.97 in the photo, 0.74 in a thumbnail",
                 text)


def test_the_shared_weight_gradient_in_its_two_forms(img, notebook_text):
    images, targets, start = _learning_problem(img)
    m = sum(y.size for y in targets)
    deltas = [(signal.correlate2d(x, start, "valid") - y) / m
              for x, y in zip(images, targets, strict=True)]
    g00 = sum(np.sum(d * x[:d.shape[0], :d.shape[1]]) for x, d in zip(images, deltas,
                                                                      strict=True))
    _, grad = kernel_loss_and_gradient(start, images, targets)
    assert np.isclose(g00, grad[0, 0])
    text = notebook_text(NB)
    assert shown(f"∂C/∂k[0, 0]: Hadamard form {g00:.6f}, x ⋆ δ {grad[0, 0]:.6f}", text)
    assert shown("x ⋆ δ == helpers.kernels.kernel_loss_and_gradient: True", text)
    numeric = numerical_gradient(lambda k: kernel_loss_and_gradient(k, images, targets)[0],
                                 start.copy())
    assert relative_error(grad, numeric) < 1e-7
    assert shown("relative error against central differences below 1e-7: True", text)


def test_gradient_descent_recovers_sobel_x(img, notebook_text):
    images, targets, start = _learning_problem(img)
    learned, losses = fit_kernel(images, targets, start, lr=1.4, steps=400)
    text = notebook_text(NB)
    assert shown(f"loss C: {losses[0]:.3f} at the start, {losses[100]:.1e} after 100 steps, "
                 f"{losses[-1]:.1e} after 400", text)
    assert (f"{losses[0]:.2f}", f"{losses[-1]:.1e}") == ("0.77", "6.0e-08")
    assert np.array_equal(learned.round(2) + 0.0, sobel_x())
    assert shown("learned kernel, rounded:\n" + str(sobel_x()), text)
    assert shown(f"largest difference from Sobel x: {np.abs(learned - sobel_x()).max():.4f}",
                 text)
