"""Passenger screening service: checks travellers and documents against watchlists."""

__version__ = "0.1.0"
