"""SIP-kompis: helps children and young people prepare for their SIP meeting.

The core package imports neither `rasa` nor `rasa_sdk`: only `bot.rasa_plugins` imports
Rasa and only `actions/` imports the SDK, so the dialogue engine can be replaced.
"""
