"""The client portal's services: who a contact is and what they may see (`contacts`), signing
in by e-mailed link (`signin`), what the pages show (`views`) and what a contact may do
(`actions`). The web face is desk.portal; every write goes through the ordinary services
in the name of the contact ("portal: ada@example.com")."""
