"""`python -m components` is the `hybrid` command."""

from .cli import main

main()
