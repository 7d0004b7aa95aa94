"""Talking to an OpenAI-compatible model (the engine itself is ``pipeline.engines.openai``).

- ``config``: which model and endpoint (options, environment, config file);
- ``client``: the one place that calls the model, with retries, re-asks and the run log;
- ``schemas``: the bounded reply models;
- ``commands``: the ``lmn log`` command.

Importing this package is cheap: LangChain and the OpenAI client load on the first call.
"""
