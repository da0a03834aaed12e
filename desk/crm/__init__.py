"""Clients and customers: their profiles, the interactions that move the relationship clock,
their notes and their birthdays."""
