"""The headless subcommands of ``backroom`` (account, sync, orders): thin
wrappers over ``app.services`` that print for people or for scripts.

Exit codes a script can rely on: 0 done; 1 failed (the store refused, a
folder or disk that cannot be used, a damaged file, an unexpected problem —
see :mod:`app.cli`); 2 bad usage; 3 the store could not be reached
(offline: the cache still answers ``orders``); 4 the token was refused;
5 (``sync``) edits need the user: refused, in conflict, overwritten or
recovered (listed, see ``backroom outbox list``).
"""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_OFFLINE = 3
EXIT_UNAUTHORIZED = 4
EXIT_ATTENTION = 5
