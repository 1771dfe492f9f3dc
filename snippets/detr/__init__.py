"""DETR: detection as set prediction (Carion et al., ECCV 2020, arXiv:2005.12872)."""
