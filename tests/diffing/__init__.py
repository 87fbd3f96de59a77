"""Tests of the diff engine (noticeboard.diffing)."""
