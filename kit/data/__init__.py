"""Reference data files shipped with the kit (read them with :mod:`importlib.resources`)."""
