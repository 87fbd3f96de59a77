"""`python -m noticeboard` runs the same CLI as the `noticeboard` console script."""

from noticeboard.cli import main

main()
