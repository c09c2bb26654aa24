#!/usr/bin/env python3
"""Reference values of MadMiner's RASCAL, ALICES and CASCAL losses, single-
and double-parameterized, with parameter scaling on, for
tests/estimators/madminer_losses_test.cc.

Runs MadMiner's own loss functions (madminer/utils/ml/losses.py and
get_loss in utils.py) on fixed network outputs and targets, and applies the
parameter scaling exactly as MadMiner's estimators do before training
(initialize_parameter_transform: mean and np.std of the θ values, floor
1e-6; _transform_score: t_scaled = t * std). Nothing here is imported by
goldmine; it only prints the numbers the C++ test compares with.

Usage (Debian 12: apt-get install python3-torch python3-numpy):
  /usr/bin/python3 scripts/reference/madminer_losses.py MADMINER_CHECKOUT
where MADMINER_CHECKOUT is a clone of github.com/madminer-tool/madminer
(the values in the test were made at commit 3e2615d0, June 2024, the
newest in December 2026).
"""
import importlib.util
import pathlib
import sys

import numpy as np
import torch


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


root = pathlib.Path(sys.argv[1]) / "madminer" / "utils" / "ml"
losses = load(root / "losses.py", "losses")

# get_loss imports the losses module relatively; take its table by hand from
# the same source file so that its weights are MadMiner's.
utils_source = (root / "utils.py").read_text()
start = utils_source.index("def get_loss(")
end = min(i for i in (utils_source.find("\ndef ", start + 1),
                      utils_source.find("\nclass ", start + 1),
                      len(utils_source)) if i >= 0)
namespace = {"losses": losses}
exec(utils_source[start:end], namespace)
get_loss = namespace["get_loss"]

# Six events, two parameters of very different ranges (c ~ 0.1, d ~ 10).
theta0 = np.array([[0.10, -12.0], [-0.05, 4.0], [0.02, 9.0],
                   [-0.12, -3.0], [0.07, 15.0], [0.00, -7.0]])
theta1 = np.array([[0.00, 0.0], [0.03, -8.0], [-0.09, 2.0],
                   [0.05, 11.0], [-0.02, -5.0], [0.11, 6.0]])
y = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
r_xz = np.array([0.7, 1.9, 1.2, 0.4, 3.0, 0.8])
# Joint scores in physical units (per unit of c and of d).
t_xz0 = np.array([[3.0, 0.05], [-1.5, 0.20], [0.8, -0.10],
                  [2.2, 0.02], [-4.0, 0.15], [0.5, -0.30]])
t_xz1 = np.array([[1.0, -0.04], [2.5, 0.10], [-0.6, 0.08],
                  [-1.8, -0.12], [0.9, 0.25], [-2.0, 0.06]])
# Network outputs: log r̂, and the gradients of log r̂ with respect to the
# *scaled* θ0 and θ1 (what MadMiner's ratio models return as t_hat0, t_hat1).
log_r_hat = np.array([-0.3, 0.6, 0.1, -0.8, 1.1, 0.2])
t0_hat_scaled = np.array([[0.20, 0.70], [-0.10, 1.20], [0.05, -0.60],
                          [0.30, 0.40], [-0.25, 0.90], [0.10, -1.50]])
t1_hat_scaled = np.array([[0.15, -0.50], [0.12, 0.60], [-0.04, 0.70],
                          [-0.20, -0.90], [0.06, 1.40], [-0.18, 0.30]])


def scaling(thetas):
    return np.maximum(np.std(thetas, axis=0), 1.0e-6)


def tensor(a):
    return torch.tensor(a, dtype=torch.float64)


def loss(method, alpha, std):
    functions, _, weights = get_loss(method, alpha)
    args = (None, tensor(log_r_hat).reshape(-1, 1), tensor(t0_hat_scaled),
            tensor(t1_hat_scaled), tensor(y).reshape(-1, 1),
            tensor(r_xz).reshape(-1, 1), tensor(t_xz0 * std),
            tensor(t_xz1 * std))
    # ratio_xe and ratio_augmented_xe compute s_hat themselves from log_r_hat.
    return sum(w * f(*args).item() for f, w in zip(functions, weights))


std_single = scaling(theta0)
std_double = scaling(np.concatenate((theta0, theta1), 0))
np.set_printoptions(precision=17)
print("std single", repr(std_single))
print("std double", repr(std_double))
for method in ["rascal", "alices", "cascal"]:
    for alpha in [1.0, 10.0]:
        print(f"{method} alpha={alpha:g}: {loss(method, alpha, std_single):.17g}")
        print(f"{method}2 alpha={alpha:g}: "
              f"{loss(method + '2', alpha, std_double):.17g}")
for method in ["rolr", "alice", "carl"]:
    print(f"{method}: {loss(method, 1.0, std_single):.17g}")
# The two halves of ratio_score_mse with the double-parameterized scaling.
args = (None, None, tensor(t0_hat_scaled), tensor(t1_hat_scaled),
        tensor(y).reshape(-1, 1), None, tensor(t_xz0 * std_double),
        tensor(t_xz1 * std_double))
print(f"ratio_score_mse_num: {losses.ratio_score_mse_num(*args).item():.17g}")
print(f"ratio_score_mse_den: {losses.ratio_score_mse_den(*args).item():.17g}")
