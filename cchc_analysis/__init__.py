"""cchc_analysis: analyse the PAR index (Chỉ số CCHC) of an agency and brief its leadership."""

from cchc_analysis.errors import CchcDataError, CchcError, CchcParameterError, Problem

__version__ = "0.1.0"

__all__ = ["CchcDataError", "CchcError", "CchcParameterError", "Problem", "__version__"]
