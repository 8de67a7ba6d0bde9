"""Running the stack: the trained model cache and the supervised processes of `serve`."""
