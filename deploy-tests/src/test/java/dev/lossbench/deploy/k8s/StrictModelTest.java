package dev.lossbench.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The model check bites: a misspelt field or an unknown kind is refused, a correct manifest is read. */
class StrictModelTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: w}
      spec:
        selector: {matchLabels: {app: w}}
        template:
          metadata: {labels: {app: w}}
          spec:
            containers:
              - name: w
                image: lossbench:0.1.0
                %s: IfNotPresent
      """;

  @Test
  void readsAValidManifest() {
    KubernetesObjects objects = KubernetesObjects.parse(DEPLOYMENT.formatted("imagePullPolicy"));
    assertEquals("IfNotPresent", objects.get(Deployment.class, "w").getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImagePullPolicy());
  }

  @Test
  void refusesAMisspeltFieldDeepInAPodTemplate() {
    var refused = assertThrows(IllegalArgumentException.class,
        () -> KubernetesObjects.parse(DEPLOYMENT.formatted("imagePullPolicyy")));
    assertTrue(refused.getMessage().contains("imagePullPolicyy"), refused.getMessage());
  }

  @Test
  void refusesAKindTheModelDoesNotKnow() {
    var refused = assertThrows(IllegalArgumentException.class, () -> KubernetesObjects.parse("""
        apiVersion: example.org/v1
        kind: Widget
        metadata: {name: x}
        """));
    assertTrue(refused.getMessage().contains("Widget/x"), refused.getMessage());
  }
}
