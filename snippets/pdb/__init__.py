"""Debugging with pdb: the demo scripts, the helpers that drive pdb, and the figure."""
