"""The ``pactwatch`` command line. Exit codes live here and only here."""
