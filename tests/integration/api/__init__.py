"""Tests of the agencies' JSON API."""
