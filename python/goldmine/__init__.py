"""goldmine from Python: EFT morphing, augmentation, Fisher information,
limits and a HistFactory engine, on goldmine's C++ libraries.

The names follow MadMiner (``SampleAugmenter.sample_train_local``,
``FisherInformation.truth_information``, ``AsymptoticLimits.expected_limits``)
and pyhf (``histfactory.Workspace``, ``histfactory.infer.hypotest``) so that
their scripts need few changes; docs/python.md lists the differences. Every
result equals the ``goldmine`` command line's on the same inputs.

Errors raise ``goldmine.InvalidInput`` (bad input; also a ValueError),
``goldmine.FileFormatError`` (a file that is not what it should be) or
``goldmine.InternalError``, all ``goldmine.Error``, with goldmine's message.
"""

from goldmine._goldmine import (  # noqa: F401  (re-exported)
    Error,
    FileFormatError,
    InternalError,
    InvalidInput,
    LikelihoodRatioModel,
    ScoreModel,
    __version__,
)
from goldmine import morphing, events, sampling, fisher, limits, histfactory  # noqa: F401,E402
from goldmine.augmentation import SampleAugmenter  # noqa: E402
from goldmine.fisher import (  # noqa: E402
    FisherInformation,
    profile_information,
    project_information,
)
from goldmine.limits import AsymptoticLimits  # noqa: E402

__all__ = [
    "AsymptoticLimits",
    "Error",
    "FileFormatError",
    "FisherInformation",
    "InternalError",
    "InvalidInput",
    "LikelihoodRatioModel",
    "SampleAugmenter",
    "ScoreModel",
    "events",
    "fisher",
    "histfactory",
    "limits",
    "morphing",
    "profile_information",
    "project_information",
    "sampling",
]
