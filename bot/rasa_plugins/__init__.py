"""The only place in `bot/` that imports `rasa`: tracker store, input channel, NLU
component and launcher. Everything else talks to these through `bot.services`."""
