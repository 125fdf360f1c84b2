"""The Hydra config tree, shipped inside the package: ``pkg://builder.conf``.

One folder per config group; ``python -m builder --help`` lists them. This file makes
the folder a package, which is how Hydra finds configs installed with a wheel.
"""
