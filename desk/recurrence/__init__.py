"""Recurring work: RFC 5545 rules read from words, the schedule of a series, and the tick that
creates each occurrence once."""
