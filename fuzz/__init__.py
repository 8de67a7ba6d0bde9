"""Hostile input for every input handler (issue 18, point 3).

Each target is a function taking bytes that feeds them to the real handler and asserts
its contract; `python -m fuzz` runs them under atheris (coverage-guided libFuzzer), and
tests/test_hostile_input.py runs the same contracts as Hypothesis properties plus a short
atheris run per target. The registry of targets is fuzz/registry.py.
"""
