"""kernel.imports.hidden: a block that sees some modules as not installed."""

from __future__ import annotations

import importlib
import sys

import pytest

from kernel.imports import hidden

NOT_YET = "xml.dom.pulldom"  # a standard module nothing in the site imports


def test_a_hidden_module_cannot_be_imported_inside_the_block_and_can_after() -> None:
    sys.modules.pop(NOT_YET, None)
    with hidden(NOT_YET):
        with pytest.raises(ImportError):
            importlib.import_module(NOT_YET)
        assert NOT_YET in sys.modules  # as "not here"
    assert NOT_YET not in sys.modules
    assert importlib.import_module(NOT_YET).__name__ == NOT_YET


def test_a_module_imported_already_is_left_alone() -> None:
    import json

    with hidden("json"):
        assert importlib.import_module("json") is json
    assert sys.modules["json"] is json


def test_the_block_failing_still_brings_the_module_back() -> None:
    sys.modules.pop(NOT_YET, None)
    with pytest.raises(RuntimeError), hidden(NOT_YET):
        raise RuntimeError("inside")
    assert NOT_YET not in sys.modules
