"""Where the kernel goes: padding per mode and output sizes, written once for every caller
(checks, conv, the layer, widgets); it imports nothing of the course. Public in helpers.conv."""

from __future__ import annotations

MODES = ("full", "same", "valid")


def pad_amounts(n: int, k: int, mode: str) -> tuple[int, int]:
    """NumPy's zeros (left, right) for a length-k kernel: 'full' k - 1 each side, 'valid'
    none, 'same' k // 2 and (k - 1) // 2 (an even kernel's extra zero on the left)."""
    if mode == "full":
        return k - 1, k - 1
    if mode == "same":
        return k // 2, (k - 1) // 2
    return 0, 0


def scipy_pads(kshape: tuple[int, ...], mode: str, op: str) -> tuple[tuple[int, int], ...]:
    """SciPy's 2D padding per axis: NumPy's for ``convolve2d`` (the flipped kernel's extra
    zero top/left), mirrored for ``correlate2d`` (bottom/right)."""
    pads = tuple(pad_amounts(0, k, mode) for k in kshape)
    return pads if op == "convolve" else tuple(p[::-1] for p in pads)


def output_size(n: int, k: int, padding: int = 0, stride: int = 1, dilation: int = 1,
                names: tuple[str, str] = ("k", "n")) -> int:
    """floor((n + 2p - d(k - 1) - 1) / s) + 1 kernel positions; ValueError if none fits.

    ``names`` (the kernel's argument, the input's axis) go into the error message.
    """
    span = dilation * (k - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(f"{names[0]}: kernel size {k} is larger than the padded input "
                         f"{names[1]} + 2*padding = {n + 2 * padding} (with dilation {dilation} "
                         f"it spans {span} entries)")
    return (n + 2 * padding - span) // stride + 1


def transposed_size(n: int, k: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                    dilation: int = 1) -> int:
    """(n - 1)s - 2p + d(k - 1) + output_padding + 1: the transposed convolution's length."""
    return (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1


def windows(out: int, k: int, stride: int, dilation: int) -> list[slice]:
    """For each kernel tap u, the slice of the padded input that tap sees at every position."""
    return [slice(u * dilation, u * dilation + stride * (out - 1) + 1, stride) for u in range(k)]
