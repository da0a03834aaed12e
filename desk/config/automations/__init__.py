"""The grammar of the config's `automations:` and `sequences:` lists: what a rule or a
sequence may say and how each is read and checked. Running them is desk.automation's.

- schema: the words a rule may use and the shapes a checked rule takes.
- reading: each rule's name, `when` and `if`; actions: its `do`; values: the texts, tags,
  assignees, templates and due forms inside them.
- due: the due forms (`+3 business days`) and the moment each names; placeholders: the
  {placeholders} of templates and canned responses.
- sequences: multi-step automations with delays.
"""
