"""Real servers (PostgreSQL, ...) that the test suite starts on the loopback interface."""
