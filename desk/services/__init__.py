"""Services: one module per concern, the only code that queries or writes the database."""
