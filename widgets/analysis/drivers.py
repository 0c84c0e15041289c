"""Driver diagrams: aim, primary drivers, secondary drivers and change ideas, from an outline.

Why an outline: a busy group writes faster in a text box than it drags boxes. One line per
driver, and a leading dash steps down a level:

    Staff spot deterioration early          <- primary driver
    - Observations are done on time         <- secondary driver
    -- Electronic reminders at each round   <- change idea

The layout is a plain tree (leaves spaced evenly, parents centred on their children) so the
diagram can be drawn by any chart library and read as a nested list by a screen reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

COLUMNS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")


@dataclass
class Node:
    text: str
    level: int  # 1 primary, 2 secondary, 3 change idea
    children: list[Node] = field(default_factory=list)


@dataclass
class Outline:
    primary: list[Node]
    orphans: list[str]  # lines that start deeper than their place allows, kept as written

    def count(self, level: int) -> int:
        def walk(nodes: list[Node]) -> Iterator[Node]:
            for n in nodes:
                yield n
                yield from walk(n.children)
        return sum(1 for n in walk(self.primary) if n.level == level)


def parse(text: str) -> Outline:
    """Read the outline. A line with two dashes under no secondary driver, or one dash under
    no primary driver, cannot be placed; it is kept in ``orphans`` so nothing is lost."""
    primary: list[Node] = []
    orphans: list[str] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        depth = len(line) - len(line.lstrip("-–•*>"))
        body = line[depth:].strip()
        if not body:
            continue
        level = min(depth, 2) + 1
        if level == 1:
            primary.append(Node(body, 1))
        elif level == 2:
            if primary:
                primary[-1].children.append(Node(body, 2))
            else:
                orphans.append(body)
        else:
            if primary and primary[-1].children:
                primary[-1].children[-1].children.append(Node(body, 3))
            else:
                orphans.append(body)
    return Outline(primary, orphans)


@dataclass(frozen=True)
class Box:
    id: int
    column: int  # 0 aim, 1 primary, 2 secondary, 3 change idea
    y: float  # position down the page, in leaf rows from 0
    text: str


@dataclass(frozen=True)
class Diagram:
    boxes: list[Box]
    links: list[tuple[int, int]]  # (from box id, to box id), left to right
    rows: int  # how many leaf rows tall

    def sentence(self) -> str:
        n = [sum(1 for b in self.boxes if b.column == c) for c in range(4)]
        if not n[1]:
            return "No drivers yet: add primary drivers to draw the diagram."
        return (f"The aim rests on {n[1]} primary driver{'s' if n[1] != 1 else ''}, "
                f"{n[2]} secondary driver{'s' if n[2] != 1 else ''} and "
                f"{n[3]} change idea{'s' if n[3] != 1 else ''}.")


def layout(aim: str, outline: Outline, extra_ideas: Sequence[str] = ()) -> Diagram:
    """Place the boxes. ``extra_ideas`` (such as the change idea being tested, when the
    outline does not list it) sit at the foot of the change-idea column, linked to nothing,
    so the diagram shows the gap instead of hiding it."""
    boxes: list[Box] = []
    links: list[tuple[int, int]] = []
    next_row = 0.0

    def place(node: Node, column: int) -> int:
        nonlocal next_row
        ids = [place(c, column + 1) for c in node.children]
        if ids:
            ys = [boxes[i].y for i in ids]
            y = (min(ys) + max(ys)) / 2
        else:
            y = next_row
            next_row += 1
        box = Box(len(boxes), column, y, node.text)
        boxes.append(box)
        links.extend((box.id, i) for i in ids)
        return box.id

    tops = [place(p, 1) for p in outline.primary]
    listed = {b.text.casefold() for b in boxes if b.column == 3}
    for idea in extra_ideas:
        if idea and idea.casefold() not in listed:
            boxes.append(Box(len(boxes), 3, next_row, idea))
            next_row += 1
    rows = max(next_row, 1)
    top_ys = [boxes[i].y for i in tops]
    aim_y = (min(top_ys) + max(top_ys)) / 2 if top_ys else 0.0
    aim_box = Box(len(boxes), 0, aim_y, aim or "(no aim yet)")
    boxes.append(aim_box)
    links = [(aim_box.id, t) for t in tops] + links
    return Diagram(boxes, links, int(rows))


def wrap(text: str, width: int = 26, lines: int = 4) -> list[str]:
    """Break text into short lines for a box; a very long text ends with an ellipsis."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a long word (or URL) is broken, not allowed to overflow
            if current:
                out.append(current)
                current = ""
            out.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out or [""]
