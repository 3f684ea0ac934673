"""Browser tests: the whole journey in headless Chromium (see conftest.py)."""
