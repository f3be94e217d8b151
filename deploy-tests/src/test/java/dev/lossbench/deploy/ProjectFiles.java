package dev.lossbench.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files under test are: the repository's dashboards/ and k8s/, and this module's npm tools. */
public final class ProjectFiles {
  private ProjectFiles() {}

  /** The repository root; surefire passes it, an IDE run from the module directory finds it as the parent. */
  public static Path root() {
    String configured = System.getProperty("lossbench.root");
    Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("dashboards")) || !Files.isDirectory(root.resolve("k8s"))) {
      throw new IllegalStateException(root + " is not the lossbench repository (no dashboards/ and k8s/ in it)");
    }
    return root;
  }

  public static Path dashboards() {
    return root().resolve("dashboards");
  }

  public static Path k8s() {
    return root().resolve("k8s");
  }

  /** This module's directory, where package.json and node_modules are. */
  public static Path module() {
    return root().resolve("deploy-tests");
  }

  /** An npm package installed by `npm ci` (the exec-maven-plugin runs it before the tests). */
  public static Path nodePackage(String name) {
    Path path = module().resolve("node_modules").resolve(name);
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("npm package " + name + " is not installed at " + path
          + "; run `npm ci` in deploy-tests/ (mvn runs it in generate-test-resources)");
    }
    return path;
  }

  /** A directory under target/ for files the tests make. */
  public static Path buildDirectory(String name) {
    String configured = System.getProperty("lossbench.buildDirectory");
    Path target = configured != null ? Path.of(configured) : module().resolve("target");
    try {
      return Files.createDirectories(target.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
