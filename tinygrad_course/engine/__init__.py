"""The engine: primitives and their derivative rules, the Tensor that records them, backward."""
