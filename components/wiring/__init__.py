"""How services placed on different targets find and admit each other: the table of target
pairs (`pairs.py`), the checks that a stack can wire its pairs (`validate.py`), and the
plan that hands each target its peers as values (`plan.py`)."""
