"""Domain services shared by the CLI, the Rasa actions and the channels.

Each function takes an open SQLAlchemy session and a `Keyring`; callers own the
transaction, so a command either changes everything it meant to or nothing.
"""
