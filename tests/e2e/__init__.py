"""Helpers for the browser tests: the workbench in a background thread, headless Chromium."""
