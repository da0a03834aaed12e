"""What the client screen does beyond its fields: the new-client and edit forms, archiving,
and the actions of its contacts, retainer, loyalty, portal access and sequences sections."""
