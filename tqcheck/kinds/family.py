"""A family of kinds that were once one kind's ``mode`` values (spacing, script, patronymic).

Each member reads only its own parameters and lists them in ``parameters``; a rule that gives
one member another member's parameter is told whose it is, not just "unknown parameter". The
deprecated ``mode`` form (``KIND_ALIASES`` in :mod:`tqcheck.kinds`) relies on the same lists
to drop another member's parameter with a warning instead of failing the pack.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tqcheck.kinds.base import Kind, ParamError, Params


class FamilyKind(Kind):
    """Base of a family's root class: ``class SpacingKind(FamilyKind, family=True)``.

    Every named subclass of the root is a member; the root itself is no kind (it has no name)
    and holds what the members share.
    """

    parameters: ClassVar[tuple[str, ...]] = ()
    members: ClassVar[list[type[FamilyKind]]] = []

    def __init_subclass__(cls, family: bool = False, **kwargs: Any) -> None:
        """Start a family's member list at its root; register each named member in it."""
        super().__init_subclass__(**kwargs)
        if family:
            cls.members = []  # a list per family, not FamilyKind's shared one
        elif cls.name:
            cls.members.append(cls)

    def __init__(self, params: Params) -> None:
        """Reject any parameter the member did not read, naming the members it belongs to."""
        try:
            super().__init__(params)
        except ParamError as exc:
            owners = [k.name for k in self.members if exc.key in k.parameters]
            if not owners:
                raise
            raise ParamError(
                exc.key,
                f"unknown parameter for kind {self.name} (a parameter of {', '.join(owners)})",
            ) from None
