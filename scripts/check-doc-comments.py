#!/usr/bin/env python3
"""Fails when a public or open symbol of a library product's module has no doc comment.

Reads the symbol graphs SwiftPM extracts from the built modules (`swift package dump-symbol-graph`,
public symbols, synthesized members left out) and lists every symbol of the checked modules whose
`docComment` is missing, with its source location.

Usage:
  scripts/check-doc-comments.py [--symbol-graphs DIR] [MODULE …]
Without --symbol-graphs it runs `swift package dump-symbol-graph` in the current directory (which
builds what is not built yet) and reads its output. Without modules it checks the library products'.
"""

import glob
import json
import os
import re
import subprocess
import sys

# The modules of the library products (Package.swift); ByteEncoding is not a product but every product re-uses it.
PRODUCT_MODULES = [
    "ByteEncoding", "Macaroons", "Bolt11", "Lightning", "LightningBackends", "L402",
    "L402Server", "L402Hummingbird", "L402Vapor", "L402Client",
]


def dump_symbol_graphs():
    """Runs dump-symbol-graph and returns the folder it wrote."""
    result = subprocess.run(
        ["swift", "package", "dump-symbol-graph", "--minimum-access-level", "public", "--skip-synthesized-members"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"check-doc-comments: dump-symbol-graph failed:\n{result.stdout}\n{result.stderr}")
    match = re.search(r"Files written to (\S+)", result.stdout + result.stderr)
    if not match:
        sys.exit(f"check-doc-comments: cannot tell where dump-symbol-graph wrote:\n{result.stdout}\n{result.stderr}")
    return match.group(1)


def undocumented(folder, modules):
    """`path:line: kind name` for each public symbol without a doc comment in the graphs of `modules`."""
    problems = []
    for module in modules:
        # <Module>.symbols.json, and <Module>@<Other>.symbols.json for its extensions of other modules' types.
        files = glob.glob(os.path.join(folder, f"{module}.symbols.json")) + glob.glob(os.path.join(folder, f"{module}@*.symbols.json"))
        if not files:
            problems.append(f"{module}: no symbol graph in {folder} (is the module built?)")
        for path in sorted(files):
            with open(path) as file:
                graph = json.load(file)
            for symbol in graph["symbols"]:
                if symbol.get("accessLevel") not in ("public", "open") or symbol.get("docComment"):
                    continue
                if any(component.startswith("_") for component in symbol["pathComponents"]):
                    continue  # underscored names are hidden from documentation by convention
                location = symbol.get("location", {})
                file_name = location.get("uri", "").removeprefix("file://")
                line = location.get("position", {}).get("line", -1) + 1
                name = ".".join(symbol["pathComponents"])
                problems.append(f"{os.path.relpath(file_name) if file_name else module}:{line}: {symbol['kind']['displayName']} {name}")
    return sorted(set(problems))


def main():
    arguments = sys.argv[1:]
    folder = None
    if "--symbol-graphs" in arguments:
        index = arguments.index("--symbol-graphs")
        folder = arguments[index + 1]
        del arguments[index:index + 2]
    folder = folder or dump_symbol_graphs()
    problems = undocumented(folder, arguments or PRODUCT_MODULES)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-doc-comments: {len(problems)} public symbol(s) without a doc comment")
        return 1
    print("check-doc-comments: every public symbol of the product modules has a doc comment")
    return 0


if __name__ == "__main__":
    sys.exit(main())
