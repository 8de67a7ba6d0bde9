"""Fifty children at once, twenty turns each, against one `serve` on SQLite (the
embedded default): no error, every reply the one its step must show (so each child's
messages were handled in order and never mixed with another's), every approved statement
delivered exactly once. The same load over two replicas is in test_replicas.py."""
from __future__ import annotations

import os
import sys

import pytest

from tests.load_world import delivered_once, new_coordinator, new_meeting, run_children

pytestmark = pytest.mark.stack

CHILDREN = int(os.environ.get("SIPKOMPIS_TEST_LOAD_CHILDREN", "50"))


def test_fifty_children_at_once_get_every_answer_in_order_and_each_statement_once(stack):
    coordinator = new_coordinator(stack)
    meetings = [new_meeting(stack, coordinator) for _ in range(CHILDREN)]
    load = run_children(meetings, lambda _k, _i, sender, message: stack.say(sender, message))
    print("\n" + load.summary(f"{CHILDREN} children, one serve"), file=sys.__stderr__)
    assert load.failures == []
    assert len(load.done) == CHILDREN
    for meeting, words in load.done:
        delivered_once(stack, meeting, words)
