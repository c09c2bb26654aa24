#!/usr/bin/env python3
# %% [markdown]
# # MadMiner's parton-level tutorial, with goldmine from Python
#
# The steps of MadMiner's tutorial (tutorial_particle_physics, parton level)
# on goldmine's built-in LO generator for p p -> W(-> l nu) H(-> b bbar) with
# two SMEFT operators, O_HW and O_Hq(3):
#
#   1. morphing: components and an optimised basis of benchmarks;
#   2. events: generate and mine them (two command-line cells, as `!goldmine`
#      in a notebook), read them into numpy and reweight with the morphing;
#   3. augmentation: local and ratio training samples with the joint score
#      and joint likelihood ratio;
#   4. Fisher information: truth, rate and a pT,W histogram, profiled;
#   5. expected limits at 300 fb^-1: rate against the pT,W histogram.
#
# Run it as a script (it writes its plots into a folder) or cell by cell
# (`# %%` cells, e.g. in VS Code or Jupytext):
#
#   PYTHONPATH=build/release/python python3 examples/python/madminer_tutorial.py OUT
#
# It needs the `goldmine` executable on PATH, or GOLDMINE_EXECUTABLE. Takes
# about 10 s on one core.

# %%
import json
import os
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # files, not windows; remove in a notebook
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import goldmine  # noqa: E402
from goldmine import morphing, sampling  # noqa: E402

output = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "madminer_tutorial_out")
os.makedirs(output, exist_ok=True)
executable = os.environ.get("GOLDMINE_EXECUTABLE") or shutil.which("goldmine")
if executable is not None:
    executable = os.path.abspath(executable)
if executable is None:
    sys.exit("madminer_tutorial: put `goldmine` on PATH or set GOLDMINE_EXECUTABLE")


def run(*arguments):
    """A command-line cell: `goldmine ARGUMENTS`, its JSON answer."""
    result = subprocess.run([executable, *arguments], cwd=output, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout) if result.stdout.strip() else None


# %% [markdown]
# ## 1. Morphing
# |M|^2 is a polynomial of degree 2 in (c_HW, c_Hq3): six components. Six
# benchmarks then determine it everywhere; goldmine chooses them to minimise
# the expected sum of squared morphing weights over the parameter ranges
# (MadMiner's `optimize_basis`, here with a gradient refinement).

# %%
parameters = ["cHW", "cHq3"]
ranges = np.array([[-1.0, 1.0], [-0.2, 0.2]])
components = morphing.Components.from_max_powers([2, 2], max_overall_power=2)
fixed = np.zeros((1, 2))  # keep the SM in the basis: events are generated there
basis, objective = morphing.optimize_basis(components, ranges, fixed_benchmarks=fixed,
                                           n_trials=200, seed=1)
morpher = morphing.Morpher(components, basis)
print(f"{components}; E[sum w^2] = {objective:.2f}, "
      f"condition number {morpher.condition_number:.1f}")

# The morphing error grows with sum_b w_b(theta)^2: MadMiner's plot.
c_hw, c_hq3 = np.meshgrid(np.linspace(-1.5, 1.5, 121), np.linspace(-0.3, 0.3, 121))
thetas = np.column_stack([c_hw.ravel(), c_hq3.ravel()])
squared = (morpher.weights(thetas) ** 2).sum(axis=1).reshape(c_hw.shape)
figure, axes = plt.subplots(figsize=(5, 4))
mesh = axes.pcolormesh(c_hw, c_hq3, np.log10(squared), shading="auto", cmap="viridis")
axes.scatter(basis[:, 0], basis[:, 1], c="white", edgecolors="black", s=50, label="basis")
figure.colorbar(mesh, label=r"$\log_{10} \sum_b w_b^2$")
axes.set(xlabel=r"$c_{HW}$", ylabel=r"$c_{Hq}^{(3)}$")
axes.legend(loc="upper right")
figure.tight_layout()
figure.savefig(os.path.join(output, "morphing_basis.png"), dpi=100)

# %% [markdown]
# ## 2. Events
# goldmine's generator writes one weight per benchmark; `goldmine mine`
# computes the observables at parton level and writes MadMiner's events file.

# %%
names = ["sm"] + [f"b{i}" for i in range(1, len(basis))]
benchmarks = {name: dict(zip(parameters, map(float, point)))
              for name, point in zip(names, basis)}
with open(os.path.join(output, "benchmarks.yaml"), "w") as stream:
    stream.write("benchmarks:\n")
    for name, point in benchmarks.items():
        stream.write(f"  {name}: {json.dumps(point)}\n")
run("generate", "wh", "--events", "40000", "--seed", "1", "--operators", "cHW,cHq3",
    "--benchmarks", "benchmarks.yaml", "--output", "wh.hepmc3")
with open(os.path.join(output, "mine.yaml"), "w") as stream:
    stream.write(f"""parameters:
  cHW:  {{lha_block: smeft, lha_id: 7,  max_power: 2, range: {ranges[0].tolist()}}}
  cHq3: {{lha_block: smeft, lha_id: 13, max_power: 2, range: {ranges[1].tolist()}}}
benchmarks:
""" + "".join(f"  {name}: {json.dumps(point)}\n" for name, point in benchmarks.items()) + """
morphing: {max_overall_power: 2}
samples:
  - {file: wh.hepmc3, sampled_from: sm}
objects: {level: parton}
observables:
  pt_w: (l[0] + met).pt
  mt_tot: (b[0] + b[1] + l[0] + met).mt
  m_bb: (b[0] + b[1]).m
  pt_l: l[0].pt
  eta_l: l[0].eta
cuts: ["len(b) >= 2", "len(l) >= 1"]
seed: 1
""")
run("mine", "mine.yaml", "--output", "events.h5", "--threads", "1")
events = goldmine.events.read_events(os.path.join(output, "events.h5"))
print(f"{events['n_events']} events, observables "
      f"{[name for name, _ in events['observables']]}")

# Reweighting with the morphing: w(x|theta) = sum_b w_b(theta) w(x|b).
pt_w = events["x"][:, 0]
figure, axes = plt.subplots(figsize=(5, 4))
for theta, label in [([0, 0], "SM"), ([0.5, 0], r"$c_{HW} = 0.5$"),
                     ([0, 0.05], r"$c_{Hq}^{(3)} = 0.05$")]:
    weights = events["weights"] @ morpher.weights(np.array([theta])).ravel()
    axes.hist(pt_w, bins=np.linspace(0, 600, 31), weights=weights * 1000,
              histtype="step", label=label)
axes.set(xlabel=r"$p_{T,W}$ [GeV]", ylabel=r"$d\sigma$ [fb / bin]", yscale="log")
axes.legend()
figure.tight_layout()
figure.savefig(os.path.join(output, "pt_w.png"), dpi=100)

# %% [markdown]
# ## 3. Augmentation
# Training samples carry the joint score t(x, z|theta) (SALLY's target) and
# the joint likelihood ratio r(x, z|theta0, theta1) (RASCAL, ALICES, ...).
# Every call takes a seed: the same seed gives the same sample.

# %%
augmenter = goldmine.SampleAugmenter(os.path.join(output, "events.h5"))
x, theta, t_xz, n_eff = augmenter.sample_train_local(
    theta=sampling.benchmark("sm"), n_samples=50000, seed=1, progress=False)
print(f"local: {len(x)} samples, n_eff = {n_eff:.0f}")
x, theta0, theta1, y, r_xz, t_xz0, n_eff = augmenter.sample_train_ratio(
    theta0=sampling.random_morphing_points(100, [("gaussian", 0.0, 0.5),
                                                 ("gaussian", 0.0, 0.1)]),
    theta1=sampling.benchmark("sm"), n_samples=50000, seed=2, progress=False)
figure, axes = plt.subplots(1, 2, figsize=(9, 3.6))
axes[0].hist(t_xz[:, 0], bins=np.linspace(-2, 2, 41), histtype="step", label=r"$t_{c_{HW}}$")
axes[0].hist(t_xz[:, 1], bins=np.linspace(-2, 2, 41), histtype="step",
             label=r"$t_{c_{Hq}^{(3)}}$")
axes[0].set(xlabel="joint score at the SM", yscale="log")
axes[0].legend()
log_r = np.log(r_xz.ravel())
for label, mask in [(r"drawn from $\theta_0$", y.ravel() == 0),
                    (r"drawn from $\theta_1$ = SM", y.ravel() == 1)]:
    axes[1].hist(log_r[mask], bins=np.linspace(-3, 3, 41), histtype="step", label=label)
axes[1].set(xlabel=r"$\log r(x, z|\theta_0, \theta_1)$", yscale="log")
axes[1].legend()
figure.tight_layout()
figure.savefig(os.path.join(output, "augmentation.png"), dpi=100)

# %% [markdown]
# ## 4. Fisher information at 300 fb^-1
# Truth (every event its own bin: the best any analysis of these events can
# do, unobservables included), the rate alone, and a pT,W histogram.

# %%
fisher = goldmine.FisherInformation(os.path.join(output, "events.h5"))
luminosity = 300000.0  # pb^-1
information = {
    "truth": fisher.truth_information([0, 0], luminosity)[0],
    "rate": fisher.rate_information([0, 0], luminosity)[0],
    r"$p_{T,W}$ histogram": fisher.histo_information(
        [0, 0], luminosity, "pt_w", [50, 100, 150, 200, 250, 300, 400])[0],
}
for label, matrix in information.items():
    profiled = goldmine.profile_information(matrix, [0])
    print(f"{label:22} I = {np.array2string(matrix, precision=1)}; "
          f"c_HW profiled: {profiled[0, 0]:.1f}")
# Contours theta^T I theta = 1 (68% CL for one parameter).
figure, axes = plt.subplots(figsize=(5, 4))
angles = np.linspace(0, 2 * np.pi, 400)
for label, matrix in information.items():
    values, vectors = np.linalg.eigh(matrix)
    radii = 1 / np.sqrt(np.maximum(values, 1e-12))
    circle = vectors @ np.diag(radii) @ np.vstack([np.cos(angles), np.sin(angles)])
    axes.plot(circle[0], circle[1], label=label)
axes.set(xlabel=r"$c_{HW}$", ylabel=r"$c_{Hq}^{(3)}$", xlim=(-0.03, 0.03), ylim=(-0.008, 0.008))
axes.legend()
figure.tight_layout()
figure.savefig(os.path.join(output, "fisher_contours.png"), dpi=100)

# %% [markdown]
# ## 5. Expected limits
# Asimov data at the SM; -2 Delta log L on a grid for the rate and the pT,W
# histogram (MadMiner's AsymptoticLimits.expected_limits).

# %%
limits = goldmine.AsymptoticLimits(os.path.join(output, "events.h5"))
# 300 fb^-1 of WH pins the operators to a few per mille (section 4): a grid
# around the SM.
grid_ranges, resolutions = [(-0.06, 0.06), (-0.015, 0.015)], [41, 41]
figure, axes = plt.subplots(figsize=(5, 4))
for mode, options, colour in [("rate", {}, "C0"),
                              ("histo", {"hist_vars": ["pt_w"], "hist_bins": [8]}, "C1")]:
    grid, p_values, best, llr_kin, llr_rate, _ = limits.expected_limits(
        mode, [0.0, 0.0], grid_ranges, resolutions, luminosity=luminosity,
        progress=False, **options)
    p = p_values.reshape(resolutions[0], resolutions[1]).T
    axes.contour(np.linspace(*grid_ranges[0], resolutions[0]),
                 np.linspace(*grid_ranges[1], resolutions[1]), p,
                 levels=[0.05], colors=colour)
    axes.plot([], [], colour, label=mode)
    print(f"{mode:6} best fit {grid[best]}, "
          f"{(p_values > 0.05).mean() * 100:.1f}% of the grid allowed at 95% CL")
axes.set(xlabel=r"$c_{HW}$", ylabel=r"$c_{Hq}^{(3)}$", title="95% CL, 300 fb$^{-1}$")
axes.legend()
figure.tight_layout()
figure.savefig(os.path.join(output, "limits.png"), dpi=100)
print(f"plots in {output}")
