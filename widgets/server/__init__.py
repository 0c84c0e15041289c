"""The server side: the ``conductor`` command, Voila with its kernel cap and HTTPS, the
kernels' quiet logging, join limits per address, the self-guided lab and the demo session."""
