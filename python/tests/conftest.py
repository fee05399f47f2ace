"""Shared set-up: tests run from the repository root, so report paths read as in the goldens."""

import os
import shutil
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def gyokaku_bin():
    """The command-line tool to compare with: $GYOKAKU_BIN, target/release or target/debug."""
    for p in (os.environ.get("GYOKAKU_BIN"), os.path.join(ROOT, "target", "release", "gyokaku"),
              os.path.join(ROOT, "target", "debug", "gyokaku"), shutil.which("gyokaku")):
        if p and os.path.exists(p):
            return p
    return None


def skip(reason):
    print(f"skipped: {reason}", file=sys.stderr)
    pytest.skip(reason)
