"""Realistic rewordings of the cases' facts, drafted to find refusals and verdict flips."""
