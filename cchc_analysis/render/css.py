"""Ship only the CSS a page uses: the rules that can match one of its elements and the variables they read.

nbconvert's ``lab`` template inlines all of JupyterLab's CSS (~270 KB: the notebook UI, widgets, dialogs, the
light theme's hundreds of ``--jp-…`` variables) into every page, though an exported briefing uses a few dozen
classes. :func:`prune_css` rewrites each ``<style>`` block of a page:

- a rule is kept when one of its selectors could match: every class, id, element name and attribute name the
  selector names is on the page (what is inside ``:not()``, ``:is()``, ``:where()``, ``:has()`` and other
  functional pseudo-classes is not required; pseudo-elements and states such as ``:hover`` are kept). The test is
  conservative: a rule that cannot match is dropped, one that might is kept;
- ``@media``, ``@supports``, ``@layer`` and ``@container`` blocks are pruned inside (and dropped when empty);
  ``@page``, ``@font-face`` and other at-rules are kept as they are; ``@keyframes`` are kept when an animation of
  the kept rules names them;
- a ``<style>`` block identical to the one before it (each table of the briefing carries the same one, for
  JupyterLab) is written once;
- a custom property (``--name: …``) is kept only when a kept declaration, another kept property or a ``style``
  attribute of the page reads it with ``var(--name…)``.

A rule that cannot match an element of the page never applied to it, and a property nobody reads has no effect,
so the page looks the same (the rendered-page tests check it in Chromium, at phone width and on A4). The page
carries no script, so no element or class appears later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

__all__ = ["prune_css"]

_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.S | re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_VAR_USE = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
_PROPERTY = re.compile(r"^\s*(--[A-Za-z0-9_-]+)\s*:", re.S)
_FUNCTIONAL = re.compile(r":{1,2}[A-Za-z-]+\(")
_CLASS = re.compile(r"\.(-?[_A-Za-z][\w-]*)")
_ID = re.compile(r"#(-?[_A-Za-z][\w-]*)")
_ATTRIBUTE = re.compile(r"\[\s*([\w:-]+)")
_ELEMENT = re.compile(r"(?:^|[\s>+~(,])([A-Za-z][\w-]*)")
_PSEUDO = re.compile(r"::?[A-Za-z-]+")
_NESTED = {"@media", "@supports", "@layer", "@container", "@document"}


@dataclass
class _Page:
    """What the page has: element names, classes, ids, attribute names, and the text of its style attributes."""

    elements: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    inline_styles: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        page = self.page
        page.elements.add(tag.lower())
        for name, value in attrs:
            page.attributes.add(name.lower())
            if name == "class" and value:
                page.classes.update(value.split())
            elif name == "id" and value:
                page.ids.add(value)
            elif name == "style" and value:
                page.inline_styles.append(value)

    handle_startendtag = handle_starttag


def _strip_functional(selector: str) -> str:
    """The selector without what is inside functional pseudo-classes (``:not(.x)`` requires no ``.x``)."""
    out, index = [], 0
    for match in _FUNCTIONAL.finditer(selector):
        if match.start() < index:
            continue
        out.append(selector[index : match.start()])
        depth, position = 1, match.end()
        while position < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[position], 0)
            position += 1
        index = position
    out.append(selector[index:])
    return "".join(out)


@dataclass(frozen=True)
class _Needs:
    """What one selector requires of a page to possibly match: attribute names, classes, ids, element names."""

    attributes: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    elements: frozenset[str]

    def met_by(self, page: _Page) -> bool:
        return (
            self.attributes <= page.attributes
            and self.classes <= page.classes
            and self.ids <= page.ids
            and self.elements <= page.elements
        )


def _needs(selector: str) -> _Needs:
    text = _strip_functional(selector)
    bare = re.sub(r"\[[^\]]*\]", " ", text)
    elements = _ELEMENT.findall(_PSEUDO.sub(" ", _CLASS.sub(" ", _ID.sub(" ", bare))))
    return _Needs(
        frozenset(name.lower() for name in _ATTRIBUTE.findall(text)),
        frozenset(_CLASS.findall(bare)),
        frozenset(_ID.findall(bare)),
        frozenset(name.lower() for name in elements),
    )


def _split(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside strings, parentheses and brackets."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _items(css: str) -> list[tuple[str, str | None]]:
    """Top-level items of a style sheet: (prelude, block) for ``x { … }``, (statement, None) for ``@x …;``."""
    items: list[tuple[str, str | None]] = []
    index, length = 0, len(css)
    while index < length:
        start, depth, quote = index, 0, ""
        while index < length:
            char = css[index]
            if quote:
                if char == quote and css[index - 1] != "\\":
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == ";" and depth == 0:
                items.append((css[start : index + 1].strip(), None))
                index += 1
                break
            elif char == "{":
                if depth == 0:
                    opened = index
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    items.append((css[start:opened].strip(), css[opened + 1 : index]))
                    index += 1
                    break
            index += 1
        else:
            rest = css[start:].strip()
            if rest:
                items.append((rest, None))
    return [(prelude, block) for prelude, block in items if prelude or block]


@dataclass
class _Rule:
    prelude: str
    declarations: list[str] | None = None  # a style rule
    children: list[_Rule] | None = None  # a nested at-rule
    raw: str | None = None  # kept as it is


@dataclass(frozen=True)
class _Node:
    """One item of a parsed style sheet, page-independent: a style rule (what each of its selectors needs, its
    declarations), a nested at-rule (its children) or an item kept as it is (raw)."""

    prelude: str
    needs: tuple[_Needs, ...] = ()
    declarations: tuple[str, ...] = ()
    children: tuple[_Node, ...] | None = None
    raw: str | None = None


@lru_cache(maxsize=8)
def _sheet(css: str) -> tuple[_Node, ...]:
    """A ``<style>`` block's text parsed once: every briefing of a batch carries the same ~270 KB of JupyterLab's
    CSS, and parsing it was most of the pruning's time."""
    return _structure(_COMMENT.sub("", css))


def _structure(css: str) -> tuple[_Node, ...]:
    nodes = []
    for prelude, block in _items(css):
        if block is None:
            nodes.append(_Node(prelude, raw=prelude))
            continue
        keyword = prelude.split(None, 1)[0].lower() if prelude.startswith("@") else ""
        if keyword in _NESTED:
            nodes.append(_Node(prelude, children=_structure(block)))
        elif keyword:
            nodes.append(_Node(prelude, raw=f"{prelude} {{{block}}}"))
        else:
            needs = tuple(_needs(selector.strip()) for selector in _split(prelude, ",") if selector.strip())
            declarations = tuple(part.strip() for part in _split(block, ";") if part.strip())
            if needs and declarations:
                nodes.append(_Node(prelude, needs=needs, declarations=declarations))
    return tuple(nodes)


def _select(nodes: tuple[_Node, ...], page: _Page) -> list[_Rule]:
    """The rules of a parsed sheet that the page can use (fresh objects: the pruning of properties edits them)."""
    rules = []
    for node in nodes:
        if node.raw is not None:
            rules.append(_Rule(node.prelude, raw=node.raw))
        elif node.children is not None:
            children = _select(node.children, page)
            if children:
                rules.append(_Rule(node.prelude, children=children))
        elif any(needs.met_by(page) for needs in node.needs):
            rules.append(_Rule(node.prelude, declarations=list(node.declarations)))
    return rules


def _walk(rules: list[_Rule]):
    for rule in rules:
        yield rule
        if rule.children:
            yield from _walk(rule.children)


def _prune_properties(sheets: list[list[_Rule]], page: _Page) -> None:
    """Drop custom properties nothing reads (to a fixed point: a property read only by a dropped one goes too)."""
    while True:
        read: set[str] = set()
        for style in page.inline_styles:
            read.update(_VAR_USE.findall(style))
        for rules in sheets:
            for rule in _walk(rules):
                for declaration in rule.declarations or []:
                    read.update(_VAR_USE.findall(declaration))
                if rule.raw:
                    read.update(_VAR_USE.findall(rule.raw))
        dropped = False
        for rules in sheets:
            for rule in _walk(rules):
                if rule.declarations is None:
                    continue
                kept = []
                for declaration in rule.declarations:
                    defined = _PROPERTY.match(declaration)
                    if defined and defined.group(1) not in read:
                        dropped = True
                    else:
                        kept.append(declaration)
                rule.declarations = kept
        if not dropped:
            return


def _animations(sheets: list[list[_Rule]]) -> set[str]:
    names: set[str] = set()
    for rules in sheets:
        for rule in _walk(rules):
            for declaration in rule.declarations or []:
                name, _, value = declaration.partition(":")
                if name.strip().lower() in ("animation", "animation-name"):
                    names.update(re.findall(r"[A-Za-z_][\w-]*", value))
    return names


def _render(rules: list[_Rule], animations: set[str]) -> str:
    out = []
    for rule in rules:
        if rule.raw is not None:
            if rule.prelude.lower().startswith(("@keyframes", "@-webkit-keyframes")):
                parts = rule.prelude.split(None, 1)
                if len(parts) < 2 or parts[1].strip() not in animations:
                    continue
            out.append(rule.raw)
        elif rule.children is not None:
            inner = _render(rule.children, animations)
            if inner:
                out.append(f"{rule.prelude} {{\n{inner}\n}}")
        elif rule.declarations:
            out.append(f"{rule.prelude} {{ {'; '.join(rule.declarations)}; }}")
    return "\n".join(out)


def prune_css(html: str) -> str:
    """``html`` with each ``<style>`` block reduced to what the page can use (see the module's docstring)."""
    collector = _Collector()
    collector.feed(_STYLE.sub(lambda m: m.group(1) + m.group(3), html))
    collector.close()
    page = collector.page
    blocks = list(_STYLE.finditer(html))
    sheets = [_select(_sheet(match.group(2)), page) for match in blocks]
    _prune_properties(sheets, page)
    animations = _animations(sheets)
    out, index, previous = [], 0, None
    for match, rules in zip(blocks, sheets, strict=True):
        out.append(html[index : match.start()])
        css = _render(rules, animations)
        if css and match.group(2) != previous:  # the same block again right after itself changes nothing
            out.append(f"{match.group(1)}\n{css}\n{match.group(3)}")
        previous = match.group(2)
        index = match.end()
    out.append(html[index:])
    return "".join(out)
