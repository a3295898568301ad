"""The package's targets and products as SwiftPM declares them, for the checkers in scripts/.

Reads the root manifest (`swift package dump-package`), the resolved dependencies
(`swift package show-dependencies --format json`) and each dependency's manifest, so a checker can ask
which modules a target may import and which targets and packages a product builds. Dependency manifests
are cached in <scratch>/package-graph-cache.json, keyed by the checkout's Package.swift contents.
"""

import concurrent.futures
import hashlib
import json
import os
import subprocess


def swift_package(package_dir, *arguments, scratch_path=None):
    """Runs `swift package <arguments>` on package_dir and returns its standard output (JSON text)."""
    command = ["swift", "package", "--package-path", package_dir]
    if scratch_path:
        command += ["--scratch-path", scratch_path]
    result = subprocess.run(command + list(arguments), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(command + list(arguments))}` failed:\n{result.stderr}")
    return result.stdout


def dependency_target(dependency):
    """(kind, name, package identity or None, traits it is conditional on or None) of one entry of a target's
    `dependencies` in dump-package JSON."""
    for kind in ("byName", "target", "product"):
        if kind in dependency:
            entry = dependency[kind]
            condition = entry[-1] if isinstance(entry[-1], dict) else None
            traits = set(condition["traits"]) if condition and condition.get("traits") else None
            package = entry[1].lower() if kind == "product" and entry[1] else None
            return (kind, entry[0], package, traits)
    raise ValueError(f"unknown dependency form {dependency}")


class Manifest:
    """One package's manifest: targets (name → dump-package dict) and products (name → its target names)."""

    def __init__(self, identity, directory, dump):
        self.identity = identity
        self.directory = directory
        self.dump = dump
        self.targets = {target["name"]: target for target in dump["targets"]}
        self.products = {product["name"]: product["targets"] for product in dump["products"]}

    def target_path(self, name):
        """The folder of a target's sources, absolute."""
        target = self.targets[name]
        if target.get("path"):
            return os.path.join(self.directory, target["path"])
        folder = "Tests" if target["type"] == "test" else ("Plugins" if target["type"] == "plugin" else "Sources")
        return os.path.join(self.directory, folder, name)

    def declared(self, target_name, enabled_traits=None):
        """(targets, products) a target declares: targets of this package by name, and products as (name, identity).
        With `enabled_traits`, a dependency conditional on traits counts only when one of them is enabled;
        without, every dependency counts."""
        targets, products = set(), set()
        for dependency in self.targets[target_name].get("dependencies", []):
            kind, name, package, traits = dependency_target(dependency)
            if traits is not None and enabled_traits is not None and not traits & enabled_traits:
                continue
            if kind == "product":
                products.add((name, package))
            elif kind == "target" or name in self.targets:
                targets.add(name)
            else:
                products.add((name, None))  # a by-name product: the package whose product has that name
        return targets, products


class PackageGraph:
    """The root package and every resolved dependency's manifest."""

    def __init__(self, root_dir, scratch_path=None):
        self.root_dir = os.path.abspath(root_dir)
        self.scratch_path = scratch_path or os.path.join(self.root_dir, ".build")
        root_dump = json.loads(swift_package(self.root_dir, "dump-package", scratch_path=self.scratch_path))
        self.root = Manifest(None, self.root_dir, root_dump)
        tree = json.loads(swift_package(self.root_dir, "show-dependencies", "--format", "json", scratch_path=self.scratch_path))
        directories = {}

        def walk(node):
            for child in node.get("dependencies", []):
                directories[child["identity"].lower()] = child["path"]
                walk(child)

        walk(tree)
        self.packages = self._load_manifests(directories)
        self.enabled_traits = self._enabled_traits()

    def _load_manifests(self, directories):
        cache_file = os.path.join(self.scratch_path, "package-graph-cache.json")
        try:
            with open(cache_file) as file:
                cache = json.load(file)
        except (OSError, ValueError):
            cache = {}

        def key(directory):
            with open(os.path.join(directory, "Package.swift"), "rb") as file:
                return hashlib.sha256(file.read()).hexdigest()

        def load(identity, directory):
            digest = key(directory)
            cached = cache.get(identity)
            if cached and cached["key"] == digest:
                return identity, digest, cached["dump"]
            # A scratch folder of its own per package, so dumping never writes into a checkout or the root's build.
            scratch = os.path.join(self.scratch_path, "package-graph-dumps", identity)
            return identity, digest, json.loads(swift_package(directory, "dump-package", scratch_path=scratch))

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda item: load(*item), sorted(directories.items())))
        cache = {identity: {"key": digest, "dump": dump} for identity, digest, dump in results}
        os.makedirs(self.scratch_path, exist_ok=True)
        with open(cache_file, "w") as file:
            json.dump(cache, file)
        return {identity: Manifest(identity, directories[identity], dump) for identity, _, dump in results}

    def _enabled_traits(self):
        """Package identity → the traits enabled in this graph: those its dependents ask for (`default` when they
        name none), with the traits each of those enables in turn. Conditions on a request are ignored (counted as met)."""
        enabled = {identity: set() for identity in self.packages}
        pending = [self.root]
        visited = set()
        while pending:
            manifest = pending.pop()
            for dependency in manifest.dump.get("dependencies", []):
                identity = self._dependency_identity(dependency)
                if identity not in self.packages:
                    continue
                kind = next(k for k in ("sourceControl", "fileSystem", "registry") if k in dependency)
                requested = dependency[kind][0].get("traits") or [{"name": "default"}]
                package = self.packages[identity]
                definitions = {trait["name"]: trait.get("enabledTraits", []) for trait in package.dump.get("traits") or []}
                names = [trait["name"] for trait in requested]
                while names:
                    name = names.pop()
                    if name not in enabled[identity]:
                        enabled[identity].add(name)
                        names += definitions.get(name, [])
                if (identity, frozenset(enabled[identity])) not in visited:
                    visited.add((identity, frozenset(enabled[identity])))
                    pending.append(package)
        return enabled

    def package_of_product(self, manifest, name, identity):
        """The package providing product `name` to a target of `manifest` (identity given, or found by name)."""
        if identity is not None:
            return self.packages[identity]
        dependencies = [self._dependency_identity(d) for d in manifest.dump.get("dependencies", [])]
        for candidate in dependencies:
            if candidate in self.packages and name in self.packages[candidate].products:
                return self.packages[candidate]
        raise KeyError(f"no dependency of {manifest.identity or 'the root package'} has a product {name}")

    @staticmethod
    def _dependency_identity(dependency):
        for kind in ("sourceControl", "fileSystem", "registry"):
            if kind in dependency:
                return dependency[kind][0]["identity"].lower()
        raise ValueError(f"unknown package dependency form {dependency}")

    def product_modules(self, manifest, name, identity):
        """The modules a product dependency makes importable: the targets the product lists."""
        package = self.package_of_product(manifest, name, identity)
        return set(package.products[name])

    def closure(self, manifest, target_names):
        """Every (package identity or None for the root, target) built for these targets of `manifest`, and the
        external products reached, as sets."""
        targets, products, pending = set(), set(), [(manifest, name) for name in target_names]
        while pending:
            owner, name = pending.pop()
            if (owner.identity, name) in targets:
                continue
            targets.add((owner.identity, name))
            local, external = owner.declared(name, None if owner.identity is None else self.enabled_traits[owner.identity])
            pending += [(owner, target) for target in local]
            for product, identity in external:
                package = self.package_of_product(owner, product, identity)
                products.add((package.identity, product))
                pending += [(package, target) for target in package.products[product]]
        return targets, products
