"""Rewrite every golden graph from the current code."""

from . import current_graph, golden_path, render, shipped_stacks

for stack in shipped_stacks():
    golden_path(stack).write_text(render(current_graph(stack)))
    print(f"wrote {golden_path(stack)}")
