"""Benchmark and mining utilities for the WMT22 ru-en development corpus."""
