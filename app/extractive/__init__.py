"""Extractive selection: one scoring idea per module, combined in selector.py."""
