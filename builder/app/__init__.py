"""The application layer: the only code that sees the whole config. It holds the config
schemas, the registries that turn config sections into steps, the build, the
command-line tools and the Python API."""
