"""Tests of the package checkers (check-imports, check-build-closure, check-doc-comments) on small fixture
packages written to a temporary folder: each checker must report what is wrong there, and only that.

Run: python3 -m unittest discover -s scripts/tests   (needs `swift`; no network: the fixtures depend on each other by path)
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, SCRIPTS)
from package_graph import PackageGraph  # noqa: E402


def load_script(name):
    """A script of scripts/ (its name has dashes) as a module."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(SCRIPTS, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_imports = load_script("check-imports.py")
check_build_closure = load_script("check-build-closure.py")
check_doc_comments = load_script("check-doc-comments.py")


def write(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as file:
            file.write(textwrap.dedent(text))


# A dependency whose product `DepKit` lists two modules, and a second product `Server` of its own. DepKit
# needs Server only with the trait Base (on by default) and Hidden only with Extra (off).
DEPENDENCY = {
    "Package.swift": """\
        // swift-tools-version:6.1
        import PackageDescription
        let package = Package(
            name: "dep",
            products: [
                .library(name: "DepKit", targets: ["DepKit", "DepCore"]),
                .library(name: "Server", targets: ["Server"]),
            ],
            traits: [.default(enabledTraits: ["Base"]), "Base", "Extra"],
            targets: [
                .target(name: "DepCore"),
                .target(
                    name: "DepKit",
                    dependencies: [
                        "DepCore",
                        .target(name: "Server", condition: .when(traits: ["Base"])),
                        .target(name: "Hidden", condition: .when(traits: ["Extra"])),
                    ]
                ),
                .target(name: "Server"),
                .target(name: "Hidden", dependencies: ["DepCore"]),
            ]
        )
        """,
    "Sources/DepCore/Core.swift": "public let core = 1\n",
    "Sources/DepKit/Kit.swift": "import DepCore\npublic let kit = core\n",
    "Sources/Server/Server.swift": "public let server = 2\n",
    "Sources/Hidden/Hidden.swift": "public let hidden = 3\n",
}

ROOT = {
    "Package.swift": """\
        // swift-tools-version:6.0
        import PackageDescription
        let package = Package(
            name: "root",
            products: [
                .library(name: "Codec", targets: ["Codec"]),
                .library(name: "Serve", targets: ["Serve"]),
                .library(name: "Leaky", targets: ["Leaky"]),
            ],
            dependencies: [.package(path: "../dep")],
            targets: [
                .target(name: "Codec", dependencies: [.product(name: "DepKit", package: "dep")]),
                .target(name: "Serve", dependencies: ["Codec", .product(name: "Server", package: "dep")]),
                .target(name: "Leaky", dependencies: ["Helper"], swiftSettings: [.unsafeFlags(["-Onone"])]),
                .target(name: "Helper", path: "Tests/Helper"),
                .testTarget(name: "CodecTests", dependencies: ["Codec"]),
            ]
        )
        """,
    # Both modules of the declared product may be imported, and so may the toolchain's.
    "Sources/Codec/Codec.swift": """\
        import DepKit
        @preconcurrency import DepCore
        #if canImport(Glibc)
        import Glibc
        #endif
        import struct Foundation.Data
        /// Something documented.
        public func documented() {}
        public func undocumented() {}
        /*
        import Server
        */
        let example = \"\"\"
            import Server
            \"\"\"
        """,
    # Server comes through a declared product; Hidden is in no product; DepCore is not declared here.
    "Sources/Serve/Serve.swift": "import Codec\nimport Server\nimport DepCore\n",
    "Sources/Leaky/Leaky.swift": "import Helper\n",
    "Tests/Helper/Helper.swift": "public let helper = 4\n",
    "Tests/CodecTests/CodecTests.swift": "@testable import Codec\nimport Testing\nimport DepKit\n",
}


class FixtureTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="l402-checkers-")
        write(os.path.join(cls.folder, "dep"), DEPENDENCY)
        write(os.path.join(cls.folder, "root"), ROOT)
        cls.root = os.path.join(cls.folder, "root")
        cls.graph = PackageGraph(cls.root)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder)


class CheckImportsTests(FixtureTestCase):
    def test_reports_exactly_the_undeclared_imports(self):
        problems = check_imports.findings(self.graph)
        self.assertEqual(
            [p.split(": target ")[0] + ": " + p.split(": target ")[1].split(",")[0] for p in problems],
            [
                "Sources/Serve/Serve.swift:3: Serve imports DepCore",
                "Tests/CodecTests/CodecTests.swift:3: CodecTests imports DepKit",
            ],
        )

    def test_reads_attributes_access_levels_and_kinds_and_skips_comments_and_strings(self):
        path = os.path.join(self.root, "Sources/Codec/Codec.swift")
        self.assertEqual(
            check_imports.imports(path), [(1, "DepKit"), (2, "DepCore"), (4, "Glibc"), (6, "Foundation")]
        )

    def test_the_command_fails_on_a_finding(self):
        result = subprocess.run([sys.executable, os.path.join(SCRIPTS, "check-imports.py"), self.root], capture_output=True, text=True)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("2 undeclared import(s)", result.stdout)


class CheckBuildClosureTests(FixtureTestCase):
    def test_a_product_builds_its_targets_and_the_products_they_use(self):
        _, closures = check_build_closure.check(self.graph)
        self.assertEqual(closures["Codec"], (["Codec"], ["dep"]))
        self.assertEqual(closures["Serve"], (["Codec", "Serve"], ["dep"]))
        targets, products = self.graph.closure(self.graph.root, ["Serve"])
        self.assertEqual(products, {("dep", "DepKit"), ("dep", "Server")})
        self.assertNotIn(("dep", "Hidden"), targets)

    def test_a_dependency_for_a_trait_counts_only_when_the_trait_is_enabled(self):
        self.assertEqual(self.graph.enabled_traits["dep"], {"default", "Base"})
        targets, _ = self.graph.closure(self.graph.root, ["Codec"])
        self.assertEqual(targets, {(None, "Codec"), ("dep", "DepKit"), ("dep", "DepCore"), ("dep", "Server")})

    def test_reports_targets_outside_sources_unsafe_flags_and_server_reach(self):
        saved = (check_build_closure.CLIENT_PRODUCTS, check_build_closure.SERVER_TARGETS, check_build_closure.SERVER_PACKAGES)
        try:
            check_build_closure.CLIENT_PRODUCTS = ["Codec", "Serve"]
            check_build_closure.SERVER_TARGETS = {"Serve"}
            check_build_closure.SERVER_PACKAGES = {"dep"}
            problems, _ = check_build_closure.check(self.graph)
        finally:
            check_build_closure.CLIENT_PRODUCTS, check_build_closure.SERVER_TARGETS, check_build_closure.SERVER_PACKAGES = saved
        self.assertEqual(
            sorted(problems),
            sorted([
                "product Leaky builds target Helper from Tests/Helper, which is not under Sources/",
                "product Leaky builds Leaky, which has unsafeFlags",
                "product Codec builds the server-side package dep",
                "product Serve builds the server target Serve",
                "product Serve builds the server-side package dep",
            ]),
        )


class CheckDocCommentsTests(FixtureTestCase):
    def test_lists_the_public_symbols_without_a_doc_comment(self):
        build = subprocess.run(["swift", "build", "--package-path", self.root, "--build-tests"], capture_output=True, text=True)
        self.assertEqual(build.returncode, 0, build.stderr)
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            folder = check_doc_comments.dump_symbol_graphs()
            problems = check_doc_comments.undocumented(folder, ["Codec"])
        finally:
            os.chdir(cwd)
        self.assertEqual(problems, ["Sources/Codec/Codec.swift:9: Function undocumented()"])


if __name__ == "__main__":
    unittest.main()
