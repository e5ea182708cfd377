"""Use cases.  Each takes the actor explicitly (``actor=``), flushes, and never commits:
the view or CLI command that called it commits once."""
