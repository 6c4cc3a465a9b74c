"""Repository tooling (the site builder): run from a checkout, never installed with the course.

The wheel students install holds only ``course/``; ``python -m tools.site build`` (or
``make site``) is run from the repository's root folder.
"""
