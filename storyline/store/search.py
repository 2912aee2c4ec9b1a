"""Moved: search ranking is `storyline.search`, the vector table `storyline.store.vectors`.

This module only keeps old imports (`from storyline.store.search import SearchError`) working; the
store package itself never imports it.
"""

from __future__ import annotations

from storyline.search import *  # noqa: F403
from storyline.search import __all__  # noqa: F401
