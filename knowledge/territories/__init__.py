"""French territories: the shipped data file, its loader and code look-ups."""
