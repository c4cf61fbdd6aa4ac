"""PyTorch as an independent reference: every claim the course makes about it, tested.

Run with ``make test-pytorch``, which installs the pinned CPU build (the ``pytorch``
extra) and sets ``REQUIRE_TORCH=1``: there a missing torch is an error. Under a plain
``make test`` without torch the whole module is skipped. Everything is compared in
float64 on a few hundred seeded random configurations per operation.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

if os.environ.get("REQUIRE_TORCH"):
    import torch  # make test-pytorch: a missing torch fails here, it is not skipped
else:
    torch = pytest.importorskip("torch")
import torch.nn.functional as F  # noqa: E402

from helpers import network  # noqa: E402
from helpers.conv import (  # noqa: E402
    col2im,
    conv2d_backward,
    conv2d_forward,
    conv_transpose1d,
    conv_transpose2d,
    convolve1d,
    convolve2d,
    correlate1d,
    correlate2d,
    im2col,
    output_size,
    transposed_size,
)

pytestmark = pytest.mark.pytorch
CONFIGS = 300
TOL = {"rtol": 1e-10, "atol": 1e-10}


def T(a):
    """A float64 tensor of ``a``."""
    return torch.tensor(np.asarray(a, dtype=np.float64))


def close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), err_msg=what, **TOL)


# ---------------------------------------------------------------- the network (01, 02)


def test_network_forward_and_gradients_match_autograd():
    for seed in range(CONFIGS):
        rng = np.random.default_rng(seed)
        n_in, n_h, n_out, m = (int(v) for v in rng.integers(1, 6, 4))
        p = network.init_params((n_in, n_h, n_out), seed=seed)
        p["b1"], p["b2"] = rng.normal(size=n_h), rng.normal(size=n_out)
        X, Y = rng.normal(size=(m, n_in)), rng.uniform(size=(m, n_out))
        cache = network.forward(X, p)
        grads = network.backward(Y, cache, p)

        tp = {k: T(v).requires_grad_() for k, v in p.items()}
        y_hat = torch.sigmoid(torch.sigmoid(T(X) @ tp["W"] + tp["b1"]) @ tp["V"] + tp["b2"])
        cost = ((y_hat - T(Y)) ** 2).sum() / (2 * m)
        cost.backward()
        what = f"seed {seed}, sizes {(n_in, n_h, n_out)}, m {m}"
        close(cache["Y_hat"], y_hat, what)
        np.testing.assert_allclose(network.loss(cache["Y_hat"], Y), cost.item(), rtol=1e-12)
        for k in p:
            close(grads[k], tp[k].grad, f"{what}, d{k}")


def test_nn_linear_stores_our_W_transposed():
    # notebook 01 writes X @ W with W (n_in, n_out); nn.Linear keeps weight (out, in) = W.T
    layer = torch.nn.Linear(3, 4).double()
    assert tuple(layer.weight.shape) == (4, 3)
    rng = np.random.default_rng(0)
    W, b, X = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 3))
    with torch.no_grad():
        layer.weight.copy_(T(W.T))
        layer.bias.copy_(T(b))
    close(X @ W + b, layer(T(X)), "nn.Linear(x) = x W + b with weight = W.T")


def test_conv_weight_layouts():
    assert tuple(torch.nn.Conv2d(3, 8, (5, 4)).weight.shape) == (8, 3, 5, 4)  # (out, in, kh, kw)
    assert tuple(torch.nn.Conv1d(3, 8, 5).weight.shape) == (8, 3, 5)
    assert tuple(torch.nn.ConvTranspose2d(3, 8, (5, 4)).weight.shape) == (3, 8, 5, 4)  # in, out


# ---------------------------------------------------------------- 1D and 2D convolution (03-05)


def torch_corr1d(x, w, left, right):
    return F.conv1d(F.pad(T(x)[None, None], (left, right)), T(w)[None, None])[0, 0]


def test_1d_every_mode_matches_conv1d():
    for seed in range(CONFIGS):
        rng = np.random.default_rng(10_000 + seed)
        k = int(rng.integers(1, 7))
        x, w = rng.normal(size=int(rng.integers(k, 12))), rng.normal(size=k)
        pads = {"full": (k - 1, k - 1), "same": (k // 2, (k - 1) // 2), "valid": (0, 0)}
        for mode, (left, right) in pads.items():
            what = f"seed {seed}, n {len(x)}, k {k}, {mode}"
            close(correlate1d(x, w, mode), torch_corr1d(x, w, left, right), "corr " + what)
            close(convolve1d(x, w, mode), torch_corr1d(x, w[::-1].copy(), left, right),
                  "conv " + what)  # F.conv1d does not flip: convolution = flipped kernel


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
def test_same_with_an_even_kernel_pads_the_other_way_in_pytorch():
    # PyTorch's padding="same" puts total // 2 = (k - 1) // 2 zeros on the left; NumPy puts
    # k // 2 there. Odd kernels agree; an even kernel shifts NumPy's output one step left.
    for seed in range(CONFIGS):
        rng = np.random.default_rng(20_000 + seed)
        k = int(rng.integers(1, 7))
        x, w = rng.normal(size=int(rng.integers(k + 1, 12))), rng.normal(size=k)
        ours, theirs = correlate1d(x, w, "same"), F.conv1d(T(x)[None, None], T(w)[None, None],
                                                            padding="same")[0, 0].numpy()
        full = correlate1d(x, w, "full")
        np.testing.assert_allclose(theirs, full[k // 2:k // 2 + len(x)], **TOL)
        np.testing.assert_allclose(ours, full[(k - 1) // 2:(k - 1) // 2 + len(x)], **TOL)
        if k % 2:
            np.testing.assert_allclose(ours, theirs, **TOL)
        else:
            np.testing.assert_allclose(ours[1:], theirs[:-1], **TOL)
            assert not np.allclose(ours, theirs)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
def test_pinned_even_kernel_example():
    x, w = np.array([1.0, 2, 3, 4]), np.array([1.0, -1])
    assert correlate1d(x, w, "same").tolist() == [-1, -1, -1, -1]  # left zero: 0 - 1
    torch_same = F.conv1d(T(x)[None, None], T(w)[None, None], padding="same")[0, 0]
    assert torch_same.tolist() == [-1, -1, -1, 4]  # right zero: 4 - 0


def test_2d_every_mode_matches_conv2d():
    for seed in range(CONFIGS):
        rng = np.random.default_rng(30_000 + seed)
        kh, kw = (int(v) for v in rng.integers(1, 5, 2))
        a = rng.normal(size=(int(rng.integers(kh, 8)), int(rng.integers(kw, 8))))
        k = rng.normal(size=(kh, kw))
        for mode in ("full", "same", "valid"):
            what = f"seed {seed}, a {a.shape}, k {k.shape}, {mode}"
            if mode == "full":
                pad = (kw - 1, kw - 1, kh - 1, kh - 1)
            elif mode == "same":  # SciPy's correlate2d: the extra zero bottom/right, as PyTorch
                pad = ((kw - 1) // 2, kw // 2, (kh - 1) // 2, kh // 2)
            else:
                pad = (0, 0, 0, 0)
            ref = F.conv2d(F.pad(T(a)[None, None], pad), T(k)[None, None])[0, 0]
            close(correlate2d(a, k, mode), ref, "corr2d " + what)
            if mode == "same":
                ref_same = F.conv2d(T(a)[None, None], T(k)[None, None], padding="same")[0, 0]
                close(correlate2d(a, k, mode), ref_same, "padding='same' " + what)
                pad = (kw // 2, (kw - 1) // 2, kh // 2, (kh - 1) // 2)  # NumPy's placement
            flipped = T(k[::-1, ::-1].copy())[None, None]
            close(convolve2d(a, k, mode), F.conv2d(F.pad(T(a)[None, None], pad), flipped)[0, 0],
                  "conv2d " + what)


# ---------------------------------------------------------------- im2col and the layer (04, 06, 07)


def random_layer(rng):
    """x, w, b, stride, padding, dilation with at least one output position."""
    while True:
        n, c, f = (int(v) for v in rng.integers(1, 4, 3))
        kh, kw = (int(v) for v in rng.integers(1, 4, 2))
        h, wd = (int(v) for v in rng.integers(1, 9, 2))
        s, p, d = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 4))
        if d * (kh - 1) + 1 <= h + 2 * p and d * (kw - 1) + 1 <= wd + 2 * p:
            return (rng.normal(size=(n, c, h, wd)), rng.normal(size=(f, c, kh, kw)),
                    rng.normal(size=f), s, p, d)


def test_im2col_and_col2im_match_unfold_and_fold():
    for seed in range(CONFIGS):
        rng = np.random.default_rng(40_000 + seed)
        x, w, _, s, p, d = random_layer(rng)
        (n, c, h, wd), (kh, kw) = x.shape, w.shape[2:]
        what = f"seed {seed}, x {x.shape}, k {(kh, kw)}, s {s}, p {p}, d {d}"
        unfolded = F.unfold(T(x), (kh, kw), dilation=d, padding=p, stride=s)  # (N, C*kh*kw, L)
        cols = im2col(x, kh, kw, s, p, d)  # (C*kh*kw, N*L): the same rows, images side by side
        close(cols, unfolded.permute(1, 0, 2).reshape(c * kh * kw, -1), "im2col " + what)
        y = rng.normal(size=cols.shape)
        folded = F.fold(T(y).reshape(c * kh * kw, n, -1).permute(1, 0, 2), (h, wd), (kh, kw),
                        dilation=d, padding=p, stride=s)
        close(col2im(y, x.shape, kh, kw, s, p, d), folded, "col2im " + what)


@pytest.mark.parametrize("method", ["fast", "loops"])
def test_layer_forward_and_backward_match_conv2d_and_autograd(method):
    for seed in range(CONFIGS if method == "fast" else CONFIGS // 3):
        rng = np.random.default_rng(50_000 + seed)
        x, w, b, s, p, d = random_layer(rng)
        what = f"seed {seed}, x {x.shape}, w {w.shape}, s {s}, p {p}, d {d}, {method}"
        out, cache = conv2d_forward(x, w, b, s, p, d, method=method)
        assert out.shape[2:] == (output_size(x.shape[2], w.shape[2], p, s, d),
                                 output_size(x.shape[3], w.shape[3], p, s, d))
        tx, tw, tb = (T(v).requires_grad_() for v in (x, w, b))
        ref = F.conv2d(tx, tw, tb, stride=s, padding=p, dilation=d)
        close(out, ref, "forward " + what)
        dout = rng.normal(size=out.shape)
        (ref * T(dout)).sum().backward()
        for ours, theirs, name in zip(conv2d_backward(dout, cache, method=method), (tx, tw, tb),
                                      ("dx", "dw", "db"), strict=True):
            close(ours, theirs.grad, f"{name} {what}")


# ---------------------------------------------------------------- transposed convolution (07)


def test_conv_transpose1d_matches_pytorch():
    for seed in range(CONFIGS):
        rng = np.random.default_rng(60_000 + seed)
        k, s, n = (int(v) for v in rng.integers(1, 6, 3))
        p = int(rng.integers(0, (transposed_size(n, k, s) + 1) // 2))
        y, w = rng.normal(size=n), rng.normal(size=k)
        ref = F.conv_transpose1d(T(y)[None, None], T(w)[None, None], stride=s, padding=p)[0, 0]
        for method in ("fast", "loops"):
            close(conv_transpose1d(y, w, s, p, method=method), ref,
                  f"seed {seed}, n {n}, k {k}, s {s}, p {p}, {method}")


def test_conv_transpose2d_matches_pytorch():
    for seed in range(CONFIGS):
        rng = np.random.default_rng(70_000 + seed)
        while True:
            s, d = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            op, p = int(rng.integers(0, max(s, d))), int(rng.integers(0, 3))
            kh, kw, h, wd = (int(v) for v in rng.integers(1, 5, 4))
            if min(transposed_size(h, kh, s, 0, op, d), transposed_size(wd, kw, s, 0, op, d)) > 2 * p:
                break
        n, c_in, c_out = (int(v) for v in rng.integers(1, 4, 3))
        x, w = rng.normal(size=(n, c_in, h, wd)), rng.normal(size=(c_in, c_out, kh, kw))
        b = rng.normal(size=c_out)
        ref = F.conv_transpose2d(T(x), T(w), T(b), stride=s, padding=p, output_padding=op,
                                 dilation=d)
        what = f"seed {seed}, x {x.shape}, w {w.shape}, s {s}, p {p}, op {op}, d {d}"
        close(conv_transpose2d(x, w, b, s, p, op, d), ref, what)
        if seed % 3 == 0:
            close(conv_transpose2d(x, w, b, s, p, op, d, method="loops"), ref, what + " loops")


def test_transposed_convolution_is_the_input_gradient_of_conv2d():
    # conv_transpose2d(delta, w) is dL/dx of conv2d, with output_padding giving back the
    # rows and columns that the stride's floor dropped: (8 + 2 - 3) % 2 = (6 + 2 - 3) % 2 = 1
    rng = np.random.default_rng(1)
    x, w = T(rng.normal(size=(2, 3, 8, 6))).requires_grad_(), T(rng.normal(size=(4, 3, 3, 3)))
    out = F.conv2d(x, w, stride=2, padding=1)
    delta = T(rng.normal(size=out.shape))
    (out * delta).sum().backward()
    close(conv_transpose2d(delta.numpy(), w.numpy(), None, 2, 1, 1), x.grad, "dx")


# ---------------------------------------------------------------- what the notebooks say about PyTorch


def test_notebook_07_prints_what_pytorch_gives():
    # notebook 07 shows F.conv_transpose2d(x, torch.ones(1, 1, 3, 3), stride=2) and prints
    # helpers' numbers; PyTorch gives the same
    x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=torch.float64)
    theirs = F.conv_transpose2d(x, torch.ones(1, 1, 3, 3, dtype=torch.float64), stride=2)
    ours = conv_transpose2d(x.numpy(), np.ones((1, 1, 3, 3)), stride=2)
    assert theirs[0, 0].tolist() == ours[0, 0].tolist() == [
        [1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]
    layer = torch.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)
    assert tuple(layer(torch.zeros(1, 3, 3, 4)).shape) == (1, 2, 6, 8)  # notebook 07's shapes
    assert transposed_size(3, 3, 2, 1, 1) == 6 and transposed_size(4, 3, 2, 1, 1) == 8


def test_padding_modes_have_these_pytorch_names():
    # notebook 03: pad2d's zero / reflect / replicate / wrap are PyTorch's padding_mode
    # zeros / reflect / replicate / circular
    from helpers.conv import pad2d

    a = np.arange(20.0).reshape(1, 1, 4, 5)
    for ours, theirs in (("zero", "constant"), ("reflect", "reflect"),
                         ("replicate", "replicate"), ("wrap", "circular")):
        close(pad2d(a, 2, ours), F.pad(T(a), (2, 2, 2, 2), mode=theirs), ours)
    w = np.random.default_rng(5).normal(size=(1, 1, 3, 3))
    for ours, theirs in (("reflect", "reflect"), ("replicate", "replicate"), ("wrap", "circular")):
        conv = torch.nn.Conv2d(1, 1, 3, padding=1, padding_mode=theirs, bias=False).double()
        with torch.no_grad():
            conv.weight.copy_(T(w))
        close(conv2d_forward(pad2d(a, 1, ours), w, [0.0])[0], conv(T(a)), ours)


def test_pytorch_defaults_the_notebooks_state():
    assert torch.nn.Conv1d(1, 1, 3).padding == (0,)  # notebook 05: no padding, i.e. valid
    assert torch.get_default_dtype() == torch.float32  # notebook 04's byte count
    with pytest.raises(RuntimeError, match="padding='same' is not supported for strided"):
        F.conv1d(torch.zeros(1, 1, 8), torch.zeros(1, 1, 3), stride=2, padding="same")
    # notebook 04: "convolution" in PyTorch is cross-correlation, the kernel is not flipped
    a, k = np.arange(16.0).reshape(4, 4), np.array([[1.0, 2.0], [0.0, -1.0]])
    torch_out = F.conv2d(T(a)[None, None], T(k)[None, None])[0, 0]
    close(correlate2d(a, k, "valid"), torch_out, "conv2d correlates")
    assert not np.allclose(convolve2d(a, k, "valid"), torch_out.numpy())
