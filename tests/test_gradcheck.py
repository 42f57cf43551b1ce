"""vgp.gradcheck: the oracles agree with each other and catch a wrong backward pass."""

import numpy as np
import pytest

import vgp.gradcheck as gc
from vgp.bptt import PARAM_NAMES, Gradients
from vgp.rnn import init_params


def _problem(seed=0, loss="mse"):
    rng = np.random.default_rng(seed)
    p = init_params(3, 4, 3, seed=seed, radius=0.95)
    p.b_h[:] = 0.2 * rng.standard_normal(4)
    x = rng.standard_normal((2, 5, 3))
    targets = rng.standard_normal((2, 5, 3)) if loss == "mse" else rng.integers(0, 3, (2, 5))
    return p, x, targets


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_check_reports_tiny_errors_for_every_parameter(loss, activation):
    p, x, targets = _problem(1, loss)
    errs = gc.check(p, x, targets, loss=loss, activation=activation,
                    mask=np.array([[True] * 5, [False, True, True, False, True]]))
    assert list(errs) == list(PARAM_NAMES)
    for name, e in errs.items():
        assert set(e) == {"fd", "torch"}
        assert isinstance(e["fd"], float) and isinstance(e["torch"], float)
        assert e["torch"] < 1e-12, name
        assert e["fd"] < 1e-7, name


def test_oracles_agree_with_each_other():
    p, x, targets = _problem(2)
    fd = gc.finite_difference_grads(p, x, targets)
    _, g_t = gc.torch_loss_and_grads(p, x, targets)
    assert isinstance(g_t, Gradients) and g_t.dL_dh.shape == (2, 6, 4)
    for name in PARAM_NAMES:
        assert gc.max_relative_error(fd[name], getattr(g_t, "d" + name)) < 1e-7


def test_check_catches_a_transposed_W_hh_gradient(monkeypatch):
    """The classic BPTT bug, delta_t^T h_{t-1} written the wrong way round, must be flagged."""
    real = gc.loss_and_grads

    def buggy(*args, **kwargs):
        L, g = real(*args, **kwargs)
        g.dW_hh = g.dW_hh.T
        return L, g

    monkeypatch.setattr(gc, "loss_and_grads", buggy)
    errs = gc.check(*_problem(3))
    assert errs["W_hh"]["fd"] > 1e-2 and errs["W_hh"]["torch"] > 1e-2
    assert errs["W_xh"]["torch"] < 1e-12                     # the other parameters stay fine


def test_finite_differences_do_not_touch_the_callers_params():
    p, x, targets = _problem(4)
    before = {n: getattr(p, n).copy() for n in PARAM_NAMES}
    gc.finite_difference_grads(p, x, targets, activation="relu", eps=1e-3)
    for n in PARAM_NAMES:
        assert np.array_equal(getattr(p, n), before[n])


def test_torch_dL_dh0_is_the_gradient_for_the_initial_state():
    p, x, targets = _problem(5)
    h0 = np.full(4, 0.3)
    _, g_t = gc.torch_loss_and_grads(p, x, targets, h0=h0)
    from vgp.bptt import loss_and_grads
    _, g = loss_and_grads(p, x, targets, h0=h0)
    assert gc.max_relative_error(g.dL_dh[:, 0], g_t.dL_dh[:, 0]) < 1e-12


def test_max_relative_error():
    assert gc.max_relative_error([1.0, -4.0], [1.0, -4.0]) == 0.0
    assert gc.max_relative_error([1.0, -4.0], [1.0, -2.0]) == pytest.approx(0.5)
    assert gc.max_relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gc.max_relative_error(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        gc.max_relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="b"):
        gc.max_relative_error([1.0], [np.nan])


def test_bad_input_names_the_parameter():
    p, x, targets = _problem(6)
    with pytest.raises(ValueError, match="eps"):
        gc.finite_difference_grads(p, x, targets, eps=0.0)
    with pytest.raises(TypeError, match="eps"):
        gc.finite_difference_grads(p, x, targets, eps="small")
    with pytest.raises(ValueError, match="loss"):
        gc.check(p, x, targets, loss="l1")
    with pytest.raises(ValueError, match="activation"):
        gc.torch_loss_and_grads(p, x, targets, activation="softplus")
    with pytest.raises(TypeError, match="targets"):
        gc.torch_loss_and_grads(p, x, targets, loss="cross_entropy")
    with pytest.raises(ValueError, match="mask"):
        gc.finite_difference_grads(p, x, targets, mask=np.ones((5, 2), bool))
    with pytest.raises(TypeError, match="params"):
        gc.finite_difference_grads(None, x, targets)
