"""The HTML pages of the grading package: Jinja2 templates with autoescape.

Every page ``course report`` and ``course feedback`` write is rendered by :func:`render`
from a template in ``course/grading/templates/`` (package data). Autoescape is on for
every template and for template strings, and an undefined name is an error
(``StrictUndefined``), so a value reaches a page escaped unless the code marks it safe
with :class:`markupsafe.Markup`; only HTML made by a renderer from escaped input is
(mistune's markdown, pygments' highlighting, the package's own CSS).

Every page extends ``page.html.j2``: UTF-8, the :data:`CSP` meta tag first, inline CSS
only, so it loads nothing from the network.

Examples
--------
>>> page = render("page.html.j2", title="a <b>", css="")
>>> "http:" in page or "https:" in page, "a &lt;b&gt;" in page, "default-src 'none'" in page
(False, True, True)
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

__all__ = ["CSP", "environment", "render"]

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""The Content-Security-Policy of every generated page: nothing but inline styles and images."""


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the package's templates (autoescaped, strict)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("course.grading", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2", "html"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=lambda value: "" if value is None else value,  # as the old escaper did
    )


def render(template: str, **context: object) -> str:
    """Render the package template ``template`` with ``context`` (and :data:`CSP`)."""
    return environment().get_template(template).render(csp=Markup(CSP), **context)
