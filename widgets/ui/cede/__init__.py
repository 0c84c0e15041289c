"""Cede screens: choosing the decisions, Delegation Poker and the Delegation Board."""
