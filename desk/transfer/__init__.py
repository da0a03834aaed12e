"""Bringing data in from other tools and taking it out: `desk import` (desk.transfer.run)
and `desk export` (desk.transfer.exports). The package imports nothing itself: the process
that reads a large file's records beside an import (desk.transfer.read_ahead) imports only
the readers, and so starts in 0.11 s instead of 0.28 s, which the import would wait for."""
