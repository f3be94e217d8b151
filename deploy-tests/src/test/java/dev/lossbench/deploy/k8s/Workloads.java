package dev.lossbench.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The pod templates of the rendered workloads, named, with their containers. */
record Workloads(List<Workload> all) {
  record Workload(String kind, String name, PodSpec pod) {
    List<Container> containers() {
      List<Container> containers = new ArrayList<>(pod.getContainers());
      if (pod.getInitContainers() != null) {
        containers.addAll(pod.getInitContainers());
      }
      return containers;
    }

    @Override
    public String toString() {
      return kind + "/" + name;
    }
  }

  static Workloads of(KubernetesObjects objects) {
    return new Workloads(Stream.of(
        objects.ofType(Deployment.class).stream()
            .map(d -> new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())),
        objects.ofType(StatefulSet.class).stream()
            .map(s -> new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getTemplate().getSpec())),
        objects.ofType(Job.class).stream()
            .map(j -> new Workload("Job", j.getMetadata().getName(), j.getSpec().getTemplate().getSpec())))
        .flatMap(s -> s)
        .toList());
  }

  Workload named(String name) {
    return all.stream().filter(w -> w.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + name + " in " + all));
  }
}
