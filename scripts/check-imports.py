#!/usr/bin/env python3
"""Fails when a target imports a module that its Package.swift entry does not declare.

Swift lets a target import any module that happens to be built before it, so an undeclared import
compiles until the dependency that brought the module in goes away. This check reads each target's
`import` lines and the dependencies Package.swift declares for it: a target of this package, or a
module that a declared product provides (the targets the product lists). Modules of the toolchain
(Foundation, Glibc, Testing, …) are always allowed.

Usage: scripts/check-imports.py [PACKAGE_DIR]   (default: the current directory; exit status 1 on a finding)
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from package_graph import PackageGraph  # noqa: E402

# Modules that come with the toolchain or the operating system, not from a package.
SYSTEM_MODULES = {
    "Swift", "SwiftShims", "_Concurrency", "_StringProcessing", "RegexBuilder", "Observation", "Distributed",
    "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking", "FoundationXML",
    "Dispatch", "Synchronization", "Testing", "XCTest",
    "Glibc", "Musl", "Darwin", "Android", "Bionic", "WASILibc", "ucrt", "WinSDK", "CRT", "os",
}

IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func|actor)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)


def imports(path):
    """(line number, module) of every import statement in a Swift file, outside comments and string literals."""
    found, in_block_comment, in_string = [], 0, False
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if in_string or in_block_comment:
                pass
            else:
                match = IMPORT.match(line)
                if match:
                    found.append((number, match.group(1)))
            # Track multi-line string literals and block comments that outlive this line.
            code = line
            if not in_string:
                in_block_comment += code.count("/*") - code.count("*/")
                in_block_comment = max(in_block_comment, 0)
            if not in_block_comment and code.count('"""') % 2 == 1:
                in_string = not in_string
    return found


def swift_files(manifest, target_name):
    """The .swift files of a target, without its excluded paths."""
    target = manifest.targets[target_name]
    root = manifest.target_path(target_name)
    excluded = [os.path.normpath(os.path.join(root, path)) for path in target.get("exclude", [])]
    sources = target.get("sources")
    starts = [os.path.join(root, path) for path in sources] if sources else [root]
    for start in starts:
        if os.path.isfile(start):
            if start.endswith(".swift"):
                yield start
            continue
        for directory, folders, files in os.walk(start):
            folders[:] = [f for f in folders if os.path.normpath(os.path.join(directory, f)) not in excluded]
            for name in sorted(files):
                path = os.path.join(directory, name)
                if name.endswith(".swift") and os.path.normpath(path) not in excluded:
                    yield path


def findings(graph):
    """One line per import of an undeclared module, as `path:line: target imports X, …`."""
    manifest, problems = graph.root, []  # (path, line, text), sorted by file and line
    for name, target in sorted(manifest.targets.items()):
        if target["type"] in ("system", "binary", "plugin"):
            continue
        targets, products = manifest.declared(name)
        allowed = set(targets) | SYSTEM_MODULES | {name}
        for product, identity in products:
            allowed |= graph.product_modules(manifest, product, identity)
        for path in swift_files(manifest, name):
            for line, module in imports(path):
                if module not in allowed:
                    relative = os.path.relpath(path, graph.root_dir)
                    text = f"{relative}:{line}: target {name} imports {module}, which its dependencies in Package.swift do not declare"
                    problems.append((relative, line, text))
    return [text for _, _, text in sorted(problems)]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = findings(PackageGraph(root))
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-imports: {len(problems)} undeclared import(s); declare each module's target or product in Package.swift")
        return 1
    print("check-imports: every import is declared in Package.swift")
    return 0


if __name__ == "__main__":
    sys.exit(main())
