"""Arabic analysis shared by indexing and querying: one pipeline, one version.

Bump ANALYZER_VERSION whenever a change alters any term, so that an index built by another
version is reported as needing a rebuild instead of silently missing matches. (It is also
bumped when the index gains fields that search/ relies on: version 5 added events, killed and
injured, which an older index cannot answer; version 6 is that together with Iraq's bare stem
and Latin tokens that start with a letter.)
"""

from .normalize import normalize
from .pipeline import AnalyzedToken, analyze, analyze_word, analyzed_terms, warm
from .stem import light_stem
from .tokenizer import tokenize
from .variants import fold
from .whoosh_analyzer import MarsadAnalyzer, exact_analyzer, stem_analyzer

ANALYZER_VERSION = "8"

__all__ = [
    "ANALYZER_VERSION",
    "AnalyzedToken",
    "MarsadAnalyzer",
    "analyze",
    "analyze_word",
    "analyzed_terms",
    "exact_analyzer",
    "fold",
    "light_stem",
    "normalize",
    "stem_analyzer",
    "tokenize",
    "warm",
]
