"""Long reliability runs with their own commands (not part of the test command): they take
tens of minutes. `python -m reliability.crash_run` kills the stack 50 times."""
