"""How clients are drawn: a client as a row of the clients list, its profile fields, and
the lines of each section of the client screen."""
