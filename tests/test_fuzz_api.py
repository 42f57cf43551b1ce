"""Fuzz the public API with garbage: only ValueError or TypeError may ever escape.

Each argument is drawn either from a valid value or from "garbage" (None, strings, huge or
non-finite numbers, complex numbers, ragged lists, arrays of any dtype and shape, dicts...),
so most calls are *nearly* valid and reach deep into the code before failing.
"""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from vgp import activations, bptt, clip, losses, rnn

FUZZ = settings(max_examples=40, deadline=None)

_dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.uint8, np.bool_, np.complex128])
_arrays = hnp.arrays(_dtypes, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
_any_float_array = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=4),
                              elements=st.floats(allow_nan=True, allow_infinity=True))
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**400, 10**400),
                     st.floats(allow_nan=True, allow_infinity=True), st.complex_numbers(),
                     st.text(max_size=4), st.binary(max_size=4),
                     st.sampled_from([10**400, -1, 0, 1e308, -1e308, 1e-320, object()]))
_lists = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.tuples(inner, inner), max_leaves=8)
garbage = st.one_of(_scalars, _lists, _arrays, _any_float_array,
                    st.dictionaries(st.text(max_size=2), _arrays, max_size=2))
# Sizes stay small so that a *valid* size never asks for terabytes (a MemoryError is not
# an input error); non-integer garbage still comes through `garbage`.
sizes = st.one_of(st.integers(-3, 5), garbage.filter(lambda v: not isinstance(v, int)))


def either(valid):
    return st.one_of(valid, garbage)


def _valid_params(D=2, H=3, O=2):
    return rnn.init_params(D, H, O, seed=0, radius=1.5)


params = either(st.builds(_valid_params, st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)))
x = either(hnp.arrays(np.float64, st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 3)),
                      elements=st.floats(-1e3, 1e3) | st.sampled_from([1e300, np.inf, np.nan])))
activation = either(st.sampled_from(activations.ACTIVATIONS + ("gelu", "")))
loss_kind = either(st.sampled_from(losses.LOSSES + ("l1",)))
ints = hnp.arrays(np.int64, st.tuples(st.integers(0, 3), st.integers(0, 4)), elements=st.integers(-2, 4))
masks = either(hnp.arrays(np.bool_, st.tuples(st.integers(0, 3), st.integers(0, 4))))
threshold = either(st.floats(-10, 10) | st.sampled_from([1e-300, 1e300, 10**400]))


def only_input_errors(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                # overflow warnings are not errors
        try:
            fn(*args, **kwargs)
        except (ValueError, TypeError) as exc:
            assert str(exc), f"{fn.__name__} raised {type(exc).__name__} without a message"


@FUZZ
@given(name=activation, z=either(_any_float_array))
def test_activations(name, z):
    only_input_errors(activations.phi, name, z)
    only_input_errors(activations.dphi, name, z)


@FUZZ
@given(D=sizes, H=sizes, O=sizes, seed=either(st.integers(0, 2**70)),
       radius=either(st.none() | st.floats(0, 1e3)), scale=either(st.floats(0, 1e3)))
def test_init_params(D, H, O, seed, radius, scale):
    only_input_errors(rnn.init_params, D, H, O, seed=seed, radius=radius, scale=scale)


@FUZZ
@given(W_xh=garbage, W_hh=garbage, b_h=garbage, W_hy=garbage, b_y=garbage)
def test_rnn_params(W_xh, W_hh, b_h, W_hy, b_y):
    only_input_errors(rnn.RNNParams, W_xh, W_hh, b_h, W_hy, b_y)


@FUZZ
@given(p=params, x=x, h0=either(st.none()), act=activation)
def test_forward(p, x, h0, act):
    only_input_errors(rnn.forward, p, x, h0=h0, activation=act)


@FUZZ
@given(kind=loss_kind, y=either(x), targets=either(x | ints), mask=either(st.none()) | masks)
def test_step_loss(kind, y, targets, mask):
    only_input_errors(losses.step_loss, kind, y, targets, mask)
    only_input_errors(losses.log_softmax, y)


@FUZZ
@given(p=params, x=x, targets=either(x | ints), kind=loss_kind, act=activation,
       h0=either(st.none()), mask=either(st.none()) | masks)
def test_loss_and_grads(p, x, targets, kind, act, h0, mask):
    only_input_errors(bptt.loss_and_grads, p, x, targets, loss=kind, activation=act, h0=h0, mask=mask)


@FUZZ
@given(data=st.data(), dL_dy=garbage, field=st.sampled_from(["x", "z", "h", "y", "activation"]),
       value=garbage)
def test_backward(data, dL_dy, field, value):
    p = _valid_params()
    fwd = rnn.forward(p, np.ones((2, 3, 2)))
    only_input_errors(bptt.backward, p, fwd, dL_dy)
    only_input_errors(bptt.backward, data.draw(garbage), fwd, fwd.y)
    only_input_errors(bptt.backward, p, data.draw(garbage), fwd.y)
    setattr(fwd, field, value)                         # a hand-made, broken Forward
    only_input_errors(bptt.backward, p, fwd, np.ones((2, 3, 2)))


@FUZZ
@given(grads=either(st.lists(either(_any_float_array), max_size=3)
                    | st.dictionaries(st.text(max_size=2), either(_any_float_array), max_size=3)),
       c=threshold, broken_field=garbage)
def test_clip(grads, c, broken_field):
    only_input_errors(clip.clip_by_global_norm, grads, c)
    only_input_errors(clip.clip_by_value, grads, c)
    only_input_errors(clip.global_norm, grads)
    p = _valid_params()
    _, g = bptt.loss_and_grads(p, np.ones((1, 2, 2)), np.zeros((1, 2, 2)))
    g.dL_dh = broken_field
    only_input_errors(clip.clip_by_global_norm, g, 1.0)
    g.dW_hh = broken_field
    only_input_errors(clip.clip_by_value, g, 1.0)
