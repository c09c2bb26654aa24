"""EFT morphing: components, morphers, basis optimisation, and the morphing
case of ``goldmine morphing``.

    components = Components.from_max_powers([2, 2], max_overall_power=2)
    morpher = Morpher(components, basis)     # basis: benchmarks x parameters
    w = morpher.weights([[0.1, -0.2]])       # one row per theta
    dw = morpher.weight_gradients([[0.1, -0.2]])
"""

from goldmine._goldmine.morphing import (  # noqa: F401
    Components,
    Morpher,
    optimize_basis,
    solve_case,
)

__all__ = ["Components", "Morpher", "optimize_basis", "solve_case"]
