"""Hooks into readability-lxml's private API (see :mod:`aggregator.compat`); canaries in
``tests/test_compat.py``."""

from __future__ import annotations

import re

from lxml import etree
from readability import Document
from readability.readability import REGEXES, Unparseable

__all__ = ["DISPLAY_NONE", "ReadabilityOnTree", "Unparseable"]

DISPLAY_NONE: re.Pattern[str] = REGEXES["displayNoneRe"]
"""readability's own test for ``style="display: none"``: hidden elements are judged exactly as it does."""


class ReadabilityOnTree(Document):
    """readability's ``Document``, scoring a tree we prepare rather than HTML it parses and rewrites itself.

    ``Document`` hands the input it was given to its private ``_parse`` and scores whatever that returns;
    its own ``_parse`` parses text and rewrites the whole page (lxml ``Cleaner``, absolute links), which is
    half of readability's time on a portal page. Subclasses implement :meth:`prepare`: an already parsed
    tree in, the tree to score out.
    """

    def prepare(self, tree: etree._Element) -> etree._Element:
        raise NotImplementedError

    def _parse(self, input: etree._Element) -> etree._Element:  # readability's own name and argument
        self.encoding = "utf-8"  # readability reads it after parsing; the tree is already decoded
        return self.prepare(input)
