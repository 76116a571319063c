import copy
import os
import sys
import tomllib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "codegen"))
SPEC_PATH = os.path.join(ROOT, "spec", "vmi.toml")


@pytest.fixture(scope="session")
def raw_spec():
    with open(SPEC_PATH, "rb") as f:
        return tomllib.load(f)


@pytest.fixture
def raw(raw_spec):
    """A private, mutable copy of the parsed spec."""
    return copy.deepcopy(raw_spec)


@pytest.fixture
def spec_text():
    with open(SPEC_PATH) as f:
        return f.read()


def call_named(raw, name):
    return next(c for c in raw["call"] if c["name"] == name)
