"""Reliability suite (issue 9): faults, crashes, contention, bad input and security.

See docs/RELIABILITY.md for what each test does and the figures measured.
"""
