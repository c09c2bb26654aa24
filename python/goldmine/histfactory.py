"""goldmine's HistFactory engine with pyhf's interface.

    ws = histfactory.Workspace(spec)            # the dict pyhf.Workspace takes
    model = ws.model()
    data = ws.data(model)
    CLs_obs, CLs_exp = histfactory.infer.hypotest(1.0, data, model,
                                                  return_expected_set=True)
    obs, exp = histfactory.infer.intervals.upper_limits.upper_limit(data, model)
    bestfit, twice_nll = histfactory.infer.mle.fit(data, model,
                                                   return_fitted_val=True)

The functions take pyhf's argument names and return what pyhf's do (numpy
values); the numbers are those of ``goldmine histfactory fit|cls|
upper-limit`` on the same workspace. What pyhf has and this does not:
backends and optimizers (one engine, goldmine's L-BFGS fit), and hypotest
with init_pars / fixed_params / par_bounds other than the model's suggested
ones, which raise InvalidInput rather than give a different answer.
"""

import json
import os
import types

import numpy as np

from goldmine._goldmine import InvalidInput
from goldmine._goldmine import histfactory as _hf

__all__ = ["Model", "Workspace", "apply_patch", "apply_patchset", "fit",
           "fixed_poi_fit", "hypotest", "infer", "upper_limit"]


class Workspace(dict):
    """A pyhf workspace specification, validated by goldmine (pyhf's schema
    and goldmine's likelihood checks; messages name the JSON path)."""

    def __init__(self, spec, source="workspace", validate=True, **config_kwargs):
        _refuse(config_kwargs, "Workspace")
        super().__init__(spec)
        self._workspace = _hf.Workspace.from_json(_json_text(spec, source), source)

    @classmethod
    def from_dict(cls, spec, source="workspace"):
        return cls(spec, source)

    @classmethod
    def from_file(cls, path):
        path = os.fspath(path)
        try:
            with open(path, encoding="utf-8") as stream:
                spec = json.load(stream)
        except OSError as error:
            raise InvalidInput(f"{path}: cannot open the workspace file ({error})")
        except json.JSONDecodeError as error:
            raise InvalidInput(f"{path}: not JSON ({error})")
        return cls(spec, path)

    @property
    def channels(self):
        return self._workspace.channels

    @property
    def measurement_names(self):
        return self._workspace.measurement_names

    def model(
        self,
        measurement_name=None,
        measurement_index=None,
        patches=None,
        modifier_settings=None,
        clip_sample_data=None,
        clip_bin_data=None,
        poi_name=None,
        validate=True,
        **config_kwargs,
    ):
        """The likelihood (pyhf's Workspace.model). modifier_settings as
        pyhf: {"normsys": {"interpcode": "code4"}, "histosys": {...}}; a type
        left out gets pyhf's class default (normsys code1, histosys code0).
        patches: RFC 6902 JSON Patches (lists of operations) applied to the
        whole workspace first. poi_name may only name the measurement's POI
        (a model with another POI is a different measurement)."""
        _refuse(config_kwargs, "Workspace.model")
        if measurement_index is not None:
            names = self._workspace.measurement_names
            if measurement_name is not None:
                raise InvalidInput("give measurement_name or measurement_index, not both")
            if not 0 <= int(measurement_index) < len(names):
                raise InvalidInput(
                    f"measurement_index {measurement_index}: the workspace has "
                    f"{len(names)} measurements ({', '.join(names)})")
            measurement_name = names[int(measurement_index)]
        workspace = self._workspace
        if patches:
            text = _json_text(dict(self), workspace.source)
            for patch in patches:
                text = _hf.apply_json_patch(text, _json_text(list(patch), "patch"))
            workspace = _hf.Workspace.from_json(text, workspace.source)
        normsys, histosys = "code4", "code4p"
        if modifier_settings is not None:
            normsys = modifier_settings.get("normsys", {}).get("interpcode", "code1")
            histosys = modifier_settings.get("histosys", {}).get("interpcode", "code0")
        model = Model(
            _hf.Model(
                workspace,
                measurement=measurement_name or "",
                normsys_code=normsys,
                histosys_code=histosys,
                clip_sample_data=clip_sample_data,
                clip_bin_data=clip_bin_data,
            )
        )
        if poi_name is not None and poi_name != model.config.poi_name:
            raise InvalidInput(
                f"poi_name {poi_name!r}: the measurement's POI is "
                f"{model.config.poi_name!r}; goldmine builds the model of a "
                f"measurement as it is written (change its config.poi)")
        return model

    def data(self, model, include_auxdata=True):
        """Observations (channels in model order) followed by the auxiliary
        data, as pyhf's Workspace.data."""
        data = model._model.observed_data
        if not include_auxdata:
            data = data[: model.config.nmaindata]
        return [float(value) for value in data]


def apply_patch(spec, patch, measurement=None):
    """The workspace dict after an RFC 6902 JSON Patch (a list of operations)
    on its {channels, parameters of the measurement}, as ``goldmine
    histfactory --patch``."""
    return json.loads(
        _hf.apply_model_patch(_json_text(spec, "workspace"), _json_text(patch, "patch"),
                              measurement or "")
    )


def apply_patchset(spec, patchset, name):
    """The workspace dict with the patch ``name`` of a pyhf PatchSet applied
    (after the PatchSet's digest check), as ``--patchset --patch-name``."""
    return json.loads(_hf.apply_patchset(_json_text(spec, "workspace"),
                                         _json_text(patchset, "patchset"), name))


class _Config:
    """pyhf's model.config: parameter names, POI, suggested values."""

    def __init__(self, model):
        self._model = model

    par_names = property(lambda self: list(self._model.par_names))
    poi_name = property(lambda self: self._model.poi_name)
    poi_index = property(lambda self: self._model.poi_index)
    npars = property(lambda self: self._model.npars)
    nmaindata = property(lambda self: self._model.nmaindata)
    nauxdata = property(lambda self: self._model.nauxdata)
    channels = property(lambda self: [name for name, _ in self._model.channels])
    channel_nbins = property(lambda self: dict(self._model.channels))
    auxdata = property(lambda self: list(self._model.auxdata))

    def suggested_init(self):
        return list(self._model.suggested_init())

    def suggested_bounds(self):
        return [tuple(bounds) for bounds in self._model.suggested_bounds()]

    def suggested_fixed(self):
        return list(self._model.suggested_fixed())


class Model:
    """pyhf's Model: config, expected_data, logpdf."""

    def __init__(self, model):
        self._model = model
        self.config = _Config(model)

    def expected_data(self, pars, include_auxdata=True):
        return self._model.expected_data(np.asarray(pars, float), include_auxdata)

    def expected_actualdata(self, pars):
        return self.expected_data(pars, include_auxdata=False)

    def logpdf(self, pars, data):
        """ln L(pars | data) with every constant, as a 1-element array."""
        return np.array([-0.5 * self.twice_nll(pars, data)])

    def twice_nll(self, pars, data):
        return self._model.twice_nll(np.asarray(pars, float), np.asarray(data, float))


# pyhf keyword arguments that change nothing in goldmine (schema validation
# is always on; there are no batches or progress bars here).
_HARMLESS = {"validate", "batch_size", "track_progress"}


def _refuse(kwargs, where):
    """InvalidInput for keyword arguments goldmine does not implement, rather
    than an answer computed without them."""
    unknown = sorted(set(kwargs) - _HARMLESS)
    if unknown:
        raise InvalidInput(f"{where}: {', '.join(unknown)} not supported by goldmine "
                           f"(docs/python.md lists the differences from pyhf)")


def _json_text(spec, source):
    """The document as JSON text; NaN and infinity are not JSON."""
    try:
        return json.dumps(spec, allow_nan=False)
    except ValueError as error:
        raise InvalidInput(f"{source}: {error} (NaN and infinity are not JSON "
                           f"numbers)") from None
    except TypeError as error:
        raise InvalidInput(f"{source}: {error}; expected a dict of lists, strings "
                           f"and numbers, as pyhf's JSON") from None


def _same(given, suggested, name):
    if given is None:
        return
    if len(given) != len(suggested) or any(
        np.any(np.asarray(a, dtype=float) != np.asarray(b, dtype=float))
        for a, b in zip(given, suggested)
    ):
        raise InvalidInput(
            f"{name}: goldmine's hypotest uses the model's suggested values; "
            f"give {name}=None (or the suggested ones), or change them in "
            f"the workspace's measurement config"
        )


def _poi_bounds(pdf, par_bounds):
    if par_bounds is None:
        return None
    index = pdf.config.poi_index
    if index is None:
        raise InvalidInput("par_bounds: the model has no parameter of interest")
    others = [b for i, b in enumerate(par_bounds) if i != index]
    suggested = [b for i, b in enumerate(pdf.config.suggested_bounds()) if i != index]
    _same(others, suggested, "par_bounds (other than the POI's)")
    return tuple(float(bound) for bound in par_bounds[index])


def hypotest(
    poi_test,
    data,
    pdf,
    init_pars=None,
    par_bounds=None,
    fixed_params=None,
    calctype="asymptotics",
    return_tail_probs=False,
    return_expected=False,
    return_expected_set=False,
    return_calculator=False,
    test_stat="qtilde",
    ntoys=2000,
    seed=0,
    track_progress=None,
    **kwargs,
):
    """pyhf.infer.hypotest: CLs_obs, then (when asked) [CLsb, CLb], the
    expected CLs and the expected band (-2, -1, 0, +1, +2 sigma), in pyhf's
    order. Toys (calctype="toybased") take an explicit seed."""
    _refuse(kwargs, "hypotest")
    if return_calculator:
        raise InvalidInput("return_calculator: goldmine has no calculator object")
    _same(init_pars, pdf.config.suggested_init(), "init_pars")
    _same(fixed_params, pdf.config.suggested_fixed(), "fixed_params")
    result = _hf.hypotest(
        pdf._model,
        np.asarray(data, float),
        float(poi_test),
        test_stat=test_stat,
        calctype=calctype,
        ntoys=int(ntoys),
        seed=int(seed),
        poi_bounds=_poi_bounds(pdf, par_bounds),
    )
    # With q0 (discovery), CLs_obs and CLs_exp hold p0 and its band, and the
    # tail probabilities are [CLb] alone, as pyhf returns them.
    cls_obs = np.asarray(result["CLs_obs"])
    expected_set = [np.asarray(value) for value in result["CLs_exp"]]
    returns = [cls_obs]
    if return_tail_probs:
        returns.append(
            [np.asarray(result["CLb_obs"])]
            if test_stat == "q0"
            else [np.asarray(result["CLsb_obs"]), np.asarray(result["CLb_obs"])])
    if return_expected_set:
        if return_expected:
            returns.append(expected_set[2])
        returns.append(expected_set)
    elif return_expected:
        returns.append(expected_set[2])
    return tuple(returns) if len(returns) > 1 else returns[0]


def hypotest_details(poi_test, data, pdf, **options):
    """Every number of the test as a dict (the keys of ``goldmine
    histfactory cls``: CLs_obs, CLs_exp, CLsb_obs, CLb_obs, teststat_obs,
    teststat_asimov, poi_hat, converged, several_minima, ...)."""
    return _hf.hypotest(pdf._model, np.asarray(data, float), float(poi_test), **options)


def fit(
    data,
    pdf,
    init_pars=None,
    par_bounds=None,
    fixed_params=None,
    return_fitted_val=False,
    return_uncertainties=False,
    return_result_obj=False,
    **kwargs,
):
    """pyhf.infer.mle.fit: the best-fit parameters (with
    return_uncertainties, an (npars, 2) array of value and Hessian
    uncertainty), and twice_nll with return_fitted_val. return_result_obj
    appends the dict of every fit number (converged, message, covariance,
    other_minima)."""
    _refuse(kwargs, "fit")
    result = _fit(data, pdf, init_pars, par_bounds, fixed_params)
    return _fit_returns(result, return_fitted_val, return_uncertainties,
                        return_result_obj)


def fixed_poi_fit(poi_val, data, pdf, init_pars=None, par_bounds=None,
                  fixed_params=None, return_fitted_val=False,
                  return_uncertainties=False, return_result_obj=False, **kwargs):
    """pyhf.infer.mle.fixed_poi_fit: the fit with the POI fixed at poi_val."""
    _refuse(kwargs, "fixed_poi_fit")
    index = pdf.config.poi_index
    if index is None:
        raise InvalidInput("fixed_poi_fit: the model has no parameter of interest")
    result = _fit(data, pdf, init_pars, par_bounds, fixed_params,
                  fixed_poi=(index, float(poi_val)))
    return _fit_returns(result, return_fitted_val, return_uncertainties,
                        return_result_obj)


def _fit(data, pdf, init_pars, par_bounds, fixed_params, fixed_poi=None):
    return _hf.fit(
        pdf._model,
        np.asarray(data, float),
        init_pars=None if init_pars is None else np.asarray(init_pars, float),
        par_bounds=None if par_bounds is None else [tuple(b) for b in par_bounds],
        fixed_params=None if fixed_params is None else [bool(f) for f in fixed_params],
        fixed_poi=fixed_poi,
    )


def _fit_returns(result, fitted_val, uncertainties, result_obj):
    parameters = result["parameters"]
    if uncertainties:
        errors = result["uncertainties"]
        if errors.size != parameters.size:
            errors = np.full(parameters.size, np.nan)
        parameters = np.column_stack([parameters, errors])
    returns = [parameters]
    if fitted_val:
        returns.append(np.asarray(result["twice_nll"]))
    if result_obj:
        returns.append(result)
    return tuple(returns) if len(returns) > 1 else returns[0]


def upper_limit(data, model, scan=None, level=0.05, return_results=False,
                test_stat="qtilde", calctype="asymptotics", ntoys=2000, seed=0,
                **kwargs):
    """pyhf.infer.intervals.upper_limits.upper_limit: (observed limit,
    expected limits at -2..+2 sigma). scan None finds the roots (pyhf's
    toms748_scan); a grid interpolates CLs linearly on it. return_results
    adds (scan, [(CLs_obs, CLs_exp), ...]) of every test made."""
    _refuse(kwargs, "upper_limit")
    if scan is not None and len(scan) < 2:
        raise InvalidInput("scan: expected at least 2 POI values, or None for root finding")
    result = _hf.upper_limit(
        model._model,
        np.asarray(data, float),
        level=float(level),
        scan=[] if scan is None else [float(mu) for mu in scan],
        test_stat=test_stat,
        calctype=calctype,
        ntoys=int(ntoys),
        seed=int(seed),
    )
    observed = np.asarray(result["obs"])
    expected = [np.asarray(value) for value in result["exp"]]
    if not return_results:
        return observed, expected
    tests = result["tests"]
    points = np.asarray([test["poi_value"] for test in tests])
    results = [
        (np.asarray(test["CLs_obs"]), [np.asarray(v) for v in test["CLs_exp"]])
        for test in tests
    ]
    return observed, expected, (points, results)


def upper_limit_details(data, model, **options):
    """Every number of the limit as a dict (the keys of ``goldmine
    histfactory upper-limit`` plus every test made)."""
    return _hf.upper_limit(model._model, np.asarray(data, float), **options)


# pyhf's module paths: pyhf.infer.hypotest, pyhf.infer.mle.fit,
# pyhf.infer.intervals.upper_limits.upper_limit.
_upper_limits = types.SimpleNamespace(upper_limit=upper_limit)
infer = types.SimpleNamespace(
    hypotest=hypotest,
    mle=types.SimpleNamespace(fit=fit, fixed_poi_fit=fixed_poi_fit),
    intervals=types.SimpleNamespace(
        upper_limit=upper_limit, upper_limits=_upper_limits
    ),
)
