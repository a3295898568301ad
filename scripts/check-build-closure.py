#!/usr/bin/env python3
"""Checks what a consumer of each library product builds, from Package.swift alone (no build).

For every product it computes the transitive set of targets and external packages a consumer's build
compiles, and fails when:
- `Macaroons`, `Bolt11` or `L402Client` reach a server target, a web framework, a database driver,
  Prometheus or YAML (DESIGN.md: "A consumer importing Macaroons, Bolt11 or L402Client builds no server");
- a product reaches a target outside Sources/ (test support, benchmarks, examples, doc snippets), which
  a plain `swift build` of a consumer would then compile;
- a target of this package that a product builds has `unsafeFlags`, which SwiftPM refuses in a package
  depended on by URL.

Dependencies that a package declares only for a trait count when that trait is enabled in the graph.

Usage: scripts/check-build-closure.py [PACKAGE_DIR] [--list]   (--list prints each product's closure)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from package_graph import PackageGraph  # noqa: E402

# Products a client or a codec user imports: they must not pull in the server side.
CLIENT_PRODUCTS = ["Macaroons", "Bolt11", "L402Client"]
# Targets of this package that are the server side.
SERVER_TARGETS = {"L402Server", "Storage", "Gateway", "L402Hummingbird", "L402Vapor"}
# Packages (SwiftPM identities) that only a server needs.
SERVER_PACKAGES = {"hummingbird", "vapor", "grdb.swift", "postgres-nio", "swift-prometheus", "yams"}


def check(graph, products=None):
    """(problems, closures): one line per problem; product name → (root targets, packages) it builds."""
    root, problems, closures = graph.root, [], {}
    for product, product_targets in sorted(root.products.items()):
        if products is not None and product not in products:
            continue
        targets, _ = graph.closure(root, product_targets)
        own = sorted(name for identity, name in targets if identity is None)
        packages = sorted({identity for identity, _ in targets if identity is not None})
        closures[product] = (own, packages)
        for name in own:
            path = os.path.relpath(root.target_path(name), graph.root_dir)
            if not path.startswith("Sources" + os.sep):
                problems.append(f"product {product} builds target {name} from {path}, which is not under Sources/")
        for name in own:
            for setting in root.targets[name].get("settings", []):
                if "unsafeFlags" in setting.get("kind", {}):
                    problems.append(f"product {product} builds {name}, which has unsafeFlags")
        if product in CLIENT_PRODUCTS:
            for name in sorted(SERVER_TARGETS.intersection(own)):
                problems.append(f"product {product} builds the server target {name}")
            for identity in sorted(SERVER_PACKAGES.intersection(packages)):
                problems.append(f"product {product} builds the server-side package {identity}")
    return problems, closures


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    graph = PackageGraph(arguments[0] if arguments else ".")
    missing = [p for p in CLIENT_PRODUCTS if p not in graph.root.products]
    problems, closures = check(graph)
    problems += [f"there is no product {p}" for p in missing]
    if "--list" in sys.argv:
        for product, (own, packages) in closures.items():
            print(f"{product}: targets {', '.join(own)}; packages {', '.join(packages) or '-'}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-build-closure: {len(problems)} problem(s)")
        return 1
    print(f"check-build-closure: {len(closures)} products checked; {', '.join(CLIENT_PRODUCTS)} build no server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
