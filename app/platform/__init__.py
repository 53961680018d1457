"""Process-wide plumbing that any floor may use: the window, the command line,
the services, the clients and the cache alike.

- :mod:`~app.platform.paths`: where Backroom keeps its files (``--data-dir``)
- :mod:`~app.platform.logs`: the rotated log file, secrets masked in every record
- :mod:`~app.platform.problem_report`: an unexpected problem told in one line,
  its details in the log
- :mod:`~app.platform.runtime`: start-up tuning (the garbage collector)
- :mod:`~app.platform.terminal_text`: store text made safe to print on a terminal
- :mod:`~app.platform.environment_secrets`: ``BACKROOM_TOKEN`` / ``BACKROOM_ECDP_KEY``
  taken out of the environment at start-up

Nothing here knows an order, a store or a use case: it imports only the
shared vocabulary (:mod:`app.domain`), the package root (the version) and
itself, and loads neither Qt nor an HTTP client (``tests/test_layering.py``).
"""
