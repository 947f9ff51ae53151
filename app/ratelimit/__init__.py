"""Rate limits with counters in the database, shared by every process."""
