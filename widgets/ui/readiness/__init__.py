"""Readiness screens: the board readiness check's form and the group's profile."""
