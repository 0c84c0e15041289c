"""Fewer widget models per page: layouts and styles shared, read-only, between widgets.

Why: ipywidgets gives every widget its own ``Layout`` model and most their own ``Style``
model, even when nothing in them differs. On a module page that is about 60% of all models
(the Cede page: 588 models, 340 of them layouts and styles), and every model is a message
from the kernel, a model built in the browser and a bit more time before the page can be
used. Shared models are identical on screen, so a page builds each distinct layout or
style once.

Two rules keep sharing safe:

- a shared layout or style is **read-only**: assigning to it raises, because the change
  would restyle every widget that shares it. Show and hide with :func:`shown` (a CSS class
  on the widget itself); give a widget its own ``w.Layout`` if it must change.
- default layouts and styles are shared only inside :func:`shared_defaults`, which the
  page builders and their refreshes use; widgets anyone else makes (a leader's own cell in
  JupyterLab) keep ipywidgets' usual, private defaults.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache

import ipywidgets as w
import traitlets
from ipywidgets.widgets.trait_types import InstanceDict

from .. import compat

HIDDEN = "cd-hidden"  # the page style has .cd-hidden { display: none !important }


class SharedModelError(AttributeError):
    """Raised on an attempt to change a layout or style that many widgets share."""


def _refuse(self, name, value):
    if getattr(self, "_cd_frozen", False) and name in self.keys:
        raise SharedModelError(
            f"This {type(self).__mro__[1].__name__} is shared by many widgets, so "
            f"'{name}' cannot change here; use widgets.ui.sharing.shown() to show or hide a "
            "widget, or give it its own ipywidgets Layout.")
    super(type(self), self).__setattr__(name, value)


@cache
def _frozen_class(klass: type) -> type:
    return type(f"Shared{klass.__name__}", (klass,), {"__setattr__": _refuse})


@cache
def _shared(klass: type, items: tuple) -> w.Widget:
    model = _frozen_class(klass)(**dict(items))
    model._cd_frozen = True
    return model


def _key(kwargs: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                        for k, v in kwargs.items()))


def layout(**kwargs) -> w.Layout:
    """A read-only layout shared by every widget that asks for the same settings."""
    return _shared(w.Layout, _key(kwargs))


def style(klass: type, **kwargs) -> w.Widget:
    """A read-only style of ``klass`` (``w.ToggleButtonsStyle`` ...) shared the same way."""
    return _shared(klass, _key(kwargs))


def _shared_default(trait: InstanceDict):
    return _shared(trait.klass, ())


def _shared_validate(trait: InstanceDict, obj, value):
    if isinstance(value, dict):
        value = _shared(trait.klass, _key(value))
    return traitlets.Instance.validate(trait, obj, value)



@contextlib.contextmanager
def shared_defaults() -> Iterator[None]:
    """Within the block, widgets made without a layout or style, or with one given as a
    dict, share read-only models instead of each making their own. Where ipywidgets'
    ``InstanceDict`` no longer looks as expected (``widgets.compat``, "shared-models"),
    nothing is shared: each widget keeps its own models, as ipywidgets makes them."""

    if not compat.fits("shared-models"):
        yield
        return
    saved = InstanceDict.__dict__["make_dynamic_default"], InstanceDict.__dict__["validate"]
    if saved[0] is _shared_default:  # already inside (a refresh within a build)
        yield
        return
    InstanceDict.make_dynamic_default = _shared_default
    InstanceDict.validate = _shared_validate
    try:
        yield
    finally:
        InstanceDict.make_dynamic_default, InstanceDict.validate = saved


def sharing(func):
    """Decorate a builder or refresh so the widgets it makes share their models."""
    def wrapper(*args, **kwargs):
        with shared_defaults():
            return func(*args, **kwargs)
    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = getattr(func, "__name__", "wrapper")
    wrapper.__wrapped__ = func
    return wrapper


def shown(widget: w.DOMWidget, visible: bool) -> None:
    """Show or hide ``widget`` by a class on the widget (sends nothing if unchanged)."""
    if visible:
        widget.remove_class(HIDDEN)
    else:
        widget.add_class(HIDDEN)


def is_shown(widget: w.DOMWidget) -> bool:
    return HIDDEN not in widget._dom_classes
