"""Import jobs: one model for every provider, resumed from the database after a restart."""
