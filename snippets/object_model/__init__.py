"""Objects in Python: identity, type and value; names; argument passing by sharing."""
