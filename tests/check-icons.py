#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the app icons the way GNOME uses them: the full-colour icon is a
# 128x128 SVG, the symbolic one a 16x16 SVG that GTK can recolour, which only
# works when every shape is filled with one flat colour and nothing else
# (no gradient, bitmap or stroke keeps its own colour). Both must be plain
# hand-written SVG and named after the desktop file's Icon key.
#
# Usage: check-icons.py DESKTOP-FILE SCALABLE-SVG SYMBOLIC-SVG
# Prints TAP; exits non-zero when a check fails.

import os
import re
import sys
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
EDITOR_NAMESPACES = ("inkscape", "sodipodi", "adobe", "sketch", "sketchtool",
                     "illustrator", "figma", "serif")
SHAPES = {"path", "rect", "circle", "ellipse", "polygon", "polyline", "line", "text", "use"}
NOT_DRAWN = {"defs", "clipPath", "mask", "symbol", "marker", "title", "desc"}
FORBIDDEN_SYMBOLIC = {"linearGradient", "radialGradient", "pattern", "image",
                      "filter", "foreignObject", "meshgradient"}
SYMBOLIC_COLOURS = {"#2e3436", "#222222"}

results = []


def check(ok, name, detail=""):
    results.append((bool(ok), name, detail))
    return ok


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def namespace(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def normalise_colour(value):
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    return {"black": "#000000", "white": "#ffffff"}.get(value, value)


def style_of(element):
    """The presentation attributes of ELEMENT, a style attribute winning."""
    props = {}
    for key in ("fill", "stroke", "opacity", "fill-opacity"):
        if key in element.attrib:
            props[key] = element.attrib[key]
    for decl in element.attrib.get("style", "").split(";"):
        if ":" in decl:
            key, value = decl.split(":", 1)
            props[key.strip()] = value.strip()
    return props


def walk_shapes(element, inherited):
    """Yields (shape element, effective fill, effective stroke) for drawn shapes."""
    name = local(element.tag)
    if name in NOT_DRAWN:
        return
    props = dict(inherited)
    props.update(style_of(element))
    if name in SHAPES:
        yield element, props.get("fill", "#000000"), props.get("stroke", "none")
    for child in element:
        yield from walk_shapes(child, props)


def parse(path, label):
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as error:
        check(False, f"{label}: parses as XML", str(error))
        return None
    check(True, f"{label}: parses as XML")
    root = tree.getroot()
    check(root.tag == f"{{{SVG_NS}}}svg", f"{label}: root is an SVG element", root.tag)
    return root


def check_clean(root, path, label):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    editor = [ns for ns in EDITOR_NAMESPACES if re.search(rf"xmlns:{ns}\b", text)]
    check(not editor, f"{label}: no editor metadata", ", ".join(editor))
    foreign = sorted({namespace(e.tag) for e in root.iter()
                      if namespace(e.tag) not in ("", SVG_NS)})
    check(not foreign, f"{label}: only SVG elements", ", ".join(foreign))
    check(root.find(f".//{{{SVG_NS}}}metadata") is None, f"{label}: no <metadata>")
    links = [e.attrib.get(f"{{{XLINK_NS}}}href", e.attrib.get("href", ""))
             for e in root.iter()]
    outside = [link for link in links if link and not link.startswith("#")]
    check(not outside, f"{label}: no embedded bitmaps or outside references",
          ", ".join(link[:40] for link in outside))


def check_size(root, size, label):
    view_box = root.attrib.get("viewBox", "")
    numbers = [float(n) for n in re.split(r"[\s,]+", view_box.strip()) if n]
    check(numbers == [0, 0, size, size], f"{label}: viewBox is 0 0 {size} {size}", view_box)
    for key in ("width", "height"):
        if key in root.attrib:
            value = root.attrib[key].removesuffix("px")
            check(value.replace(".", "", 1).isdigit() and float(value) == size,
                  f"{label}: {key} is {size}", root.attrib[key])


def check_symbolic(root, label):
    forbidden = sorted({local(e.tag) for e in root.iter() if local(e.tag) in FORBIDDEN_SYMBOLIC})
    check(not forbidden, f"{label}: no gradients, patterns, bitmaps or filters",
          ", ".join(forbidden))
    shapes = list(walk_shapes(root, {}))
    check(shapes, f"{label}: draws at least one shape")
    fills = {normalise_colour(fill) for _, fill, _ in shapes}
    check(len(fills) == 1, f"{label}: one fill colour for every shape", ", ".join(sorted(fills)))
    check(fills <= SYMBOLIC_COLOURS, f"{label}: fill is {' or '.join(sorted(SYMBOLIC_COLOURS))}",
          ", ".join(sorted(fills)))
    strokes = {normalise_colour(stroke) for _, _, stroke in shapes} - {"none"}
    check(not strokes, f"{label}: no strokes (GTK recolours fills only)", ", ".join(sorted(strokes)))
    opacities = {style_of(e)[k].strip() for e in root.iter()
                 for k in ("opacity", "fill-opacity") if k in style_of(e)}
    check(opacities <= {"1", "1.0", "100%"}, f"{label}: fully opaque", ", ".join(sorted(opacities)))


def icon_name(desktop_path):
    with open(desktop_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("Icon="):
                return line[len("Icon="):].strip()
    return None


def main(argv):
    if len(argv) != 4:
        print(f"usage: {argv[0]} DESKTOP-FILE SCALABLE-SVG SYMBOLIC-SVG", file=sys.stderr)
        return 2
    desktop, scalable, symbolic = argv[1:]

    name = icon_name(desktop)
    check(name, "desktop file has an Icon key")
    check(os.path.basename(scalable) == f"{name}.svg", "scalable icon is named after Icon",
          os.path.basename(scalable))
    check(os.path.basename(symbolic) == f"{name}-symbolic.svg",
          "symbolic icon is named after Icon", os.path.basename(symbolic))
    check(os.path.basename(os.path.dirname(os.path.dirname(scalable))) == "scalable",
          "scalable icon lies in a scalable/apps folder", scalable)
    check(os.path.basename(os.path.dirname(os.path.dirname(symbolic))) == "symbolic",
          "symbolic icon lies in a symbolic/apps folder", symbolic)

    root = parse(scalable, "scalable")
    if root is not None:
        check_clean(root, scalable, "scalable")
        check_size(root, 128, "scalable")
    root = parse(symbolic, "symbolic")
    if root is not None:
        check_clean(root, symbolic, "symbolic")
        check_size(root, 16, "symbolic")
        check_symbolic(root, "symbolic")

    print(f"1..{len(results)}")
    for number, (ok, name, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {number} - {name}")
        if not ok and detail:
            print(f"# {detail}")
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
