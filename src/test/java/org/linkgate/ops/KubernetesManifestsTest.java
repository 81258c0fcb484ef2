package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in {@code k8s/}: each overlay renders with {@code kubectl kustomize}
 * and what it renders keeps the platform's rules (non-root, read-only root file system, no
 * capabilities, seccomp, resource limits, probes on the actuator groups, secrets from Secrets
 * mounted read-only apart from the data, no Secret values anywhere, RBAC limited to leader
 * election, NetworkPolicy, PodDisruptionBudget).
 *
 * <p>{@code kubectl apply --dry-run=client} is not used: without a reachable API server it
 * cannot even resolve the kinds ("failed to download openapi"), so the rendered YAML is parsed
 * and checked here instead. kubectl must be installed in CI ({@code .ci/run} installs it);
 * elsewhere the rendering tests skip and say why.
 */
class KubernetesManifestsTest {

    static final Path K8S = Path.of("k8s");

    static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (System.getenv("CI") != null) {
            throw new IllegalStateException("kubectl must be installed for CI (.ci/run installs it)");
        }
        Assumptions.abort("kubectl not installed: the manifest rendering tests skip");
        return null;
    }

    /** {@code kubectl kustomize} of an overlay, parsed: one map per object. */
    static List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(kubectl(), "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finishes").isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("kubectl kustomize k8s/overlays/" + overlay + ":\n" + text).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(text)) {
            if (doc != null) {
                objects.add(map(doc));
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    /** Follows a path of keys (and list indexes) through a parsed object; null if absent. */
    static Object at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (current == null) {
                return null;
            }
            current = step instanceof Integer i ? list(current).get(i) : map(current).get(step);
        }
        return current;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String namePrefix) {
        List<Map<String, Object>> found = ofKind(objects, kind).stream()
                .filter(o -> String.valueOf(at(o, "metadata", "name")).startsWith(namePrefix)).toList();
        assertThat(found).as(kind + " " + namePrefix + "*").hasSize(1);
        return found.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "production"})
    void everyOverlayRendersWithEveryPartAPlatformTeamExpects(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Set<String> kinds = objects.stream().map(o -> (String) o.get("kind")).collect(Collectors.toSet());
        assertThat(kinds).contains("Deployment", "Service", "ConfigMap", "PersistentVolumeClaim", "ServiceAccount",
                "Role", "RoleBinding", "NetworkPolicy", "PodDisruptionBudget");
        assertThat(kinds).as("Secrets are created by operators, never rendered from the repository")
                .doesNotContain("Secret");
        assertThat(ofKind(objects, "Service")).hasSize(2);
        for (Map<String, Object> o : objects) {
            assertThat(at(o, "metadata", "labels", "app.kubernetes.io/name")).as("labelled: " + at(o, "metadata", "name"))
                    .isEqualTo("linkgate");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "production"})
    void thePodRunsLockedDown(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> deployment = one(objects, "Deployment", "linkgate");
        Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat((Integer) at(pod, "securityContext", "runAsUser")).isPositive();
        assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(at(pod, "serviceAccountName")).isEqualTo("linkgate");

        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        Map<String, Object> container = map(containers.get(0));
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(security.get("privileged")).isNotEqualTo(true);
        assertThat(list(at(security, "capabilities", "drop"))).containsExactly("ALL");
        assertThat(at(security, "capabilities", "add")).isNull();
        for (String kind : List.of("requests", "limits")) {
            assertThat(at(container, "resources", kind, "cpu")).as("resources." + kind + ".cpu").isNotNull();
            assertThat(at(container, "resources", kind, "memory")).as("resources." + kind + ".memory").isNotNull();
        }

        // Probes on the actuator's liveness and readiness groups, on the HTTP port.
        Map<String, Integer> ports = new HashMap<>();
        list(container.get("ports")).forEach(p -> ports.put((String) at(p, "name"), (Integer) at(p, "containerPort")));
        assertThat(ports).containsEntry("http", 8080).containsEntry("sftp", 2222);
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isNotNull();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
        }

        // Volumes: home on the claim, /tmp in memory-backed scratch, secrets read-only outside the home.
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        list(pod.get("volumes")).forEach(v -> volumes.put((String) at(v, "name"), map(v)));
        Map<String, Map<String, Object>> mounts = new HashMap<>();
        list(container.get("volumeMounts")).forEach(m -> mounts.put((String) at(m, "mountPath"), map(m)));
        String homeMount = mountOf(mounts, volumes, v -> at(v, "persistentVolumeClaim", "claimName") != null);
        assertThat(at(volumes.get(mounts.get(homeMount).get("name")), "persistentVolumeClaim", "claimName"))
                .isEqualTo("linkgate-home");
        String tmpMount = mountOf(mounts, volumes, v -> v.containsKey("emptyDir"));
        assertThat(tmpMount).isEqualTo("/tmp");
        String secretMount = mountOf(mounts, volumes, v -> v.containsKey("secret"));
        assertThat(mounts.get(secretMount).get("readOnly")).isEqualTo(true);
        assertThat(Path.of(secretMount).startsWith(Path.of(homeMount))).as("secrets apart from the data").isFalse();
        assertThat(at(volumes.get(mounts.get(secretMount).get("name")), "secret", "secretName"))
                .isEqualTo("linkgate-secrets");

        // Every ConfigMap the pod uses is rendered (generated names carry their hash).
        Set<String> configMaps = ofKind(objects, "ConfigMap").stream()
                .map(c -> (String) at(c, "metadata", "name")).collect(Collectors.toSet());
        volumes.values().stream().map(v -> (String) at(v, "configMap", "name")).filter(Objects::nonNull)
                .forEach(name -> assertThat(configMaps).contains(name));
        list(container.get("envFrom")).stream().map(e -> (String) at(e, "configMapRef", "name")).filter(Objects::nonNull)
                .forEach(name -> assertThat(configMaps).contains(name));
    }

    static String mountOf(Map<String, Map<String, Object>> mounts, Map<String, Map<String, Object>> volumes,
                          java.util.function.Predicate<Map<String, Object>> kind) {
        List<String> paths = mounts.entrySet().stream()
                .filter(m -> kind.test(volumes.get((String) m.getValue().get("name")))).map(Map.Entry::getKey).toList();
        assertThat(paths).hasSize(1);
        return paths.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "production"})
    void rbacNetworkPolicyAndDisruptionBudget(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        // RBAC: leases for leader election, pods read to know the members; nothing else.
        Map<String, Object> role = one(objects, "Role", "linkgate");
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Object rule : list(role.get("rules"))) {
            for (Object group : list(at(rule, "apiGroups"))) {
                for (Object resource : list(at(rule, "resources"))) {
                    granted.computeIfAbsent(group + "/" + resource, k -> new java.util.TreeSet<>())
                            .addAll(list(at(rule, "verbs")).stream().map(String::valueOf).toList());
                }
            }
        }
        assertThat(granted).containsOnlyKeys("coordination.k8s.io/leases", "/pods");
        assertThat(granted.get("coordination.k8s.io/leases")).isSubsetOf("get", "list", "watch", "create", "update", "patch");
        assertThat(granted.get("/pods")).isSubsetOf("get", "list", "watch");
        assertThat(ofKind(objects, "ClusterRole")).isEmpty();
        assertThat(at(one(objects, "RoleBinding", "linkgate"), "subjects", 0, "name")).isEqualTo("linkgate");

        // NetworkPolicy: both directions governed; in only HTTP and SFTP; out DNS, partners' SFTP and SMTP.
        Map<String, Object> policy = one(objects, "NetworkPolicy", "linkgate");
        assertThat(list(at(policy, "spec", "policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(at(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name")).isEqualTo("linkgate");
        Set<Object> inPorts = list(at(policy, "spec", "ingress")).stream()
                .flatMap(r -> list(at(r, "ports")).stream().map(p -> at(p, "port"))).collect(Collectors.toSet());
        assertThat(inPorts).containsExactlyInAnyOrder(8080, 2222);
        for (Object rule : list(at(policy, "spec", "ingress"))) {
            assertThat(list(at(rule, "from"))).as("every ingress rule names its sources").isNotEmpty();
            for (Object peer : list(at(rule, "from"))) {
                assertPeerIsNarrow(peer);
            }
        }
        // HTTP from exactly the ingress controller's pods and Prometheus's, each in its own namespace.
        Set<String> httpSources = list(at(policy, "spec", "ingress")).stream()
                .filter(r -> list(at(r, "ports")).stream().anyMatch(p -> Integer.valueOf(8080).equals(at(p, "port"))))
                .flatMap(r -> list(at(r, "from")).stream())
                .map(p -> at(p, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") + "/"
                        + at(p, "podSelector", "matchLabels", "app.kubernetes.io/name"))
                .collect(Collectors.toSet());
        assertThat(httpSources).containsExactlyInAnyOrder("ingress-nginx/ingress-nginx", "monitoring/prometheus");
        // No peer selector carries the gateway's own labels (kustomize's includeSelectors would write them
        // there, and the peer would then match no pod: DNS, for one, would be cut off).
        Stream.concat(list(at(policy, "spec", "ingress")).stream().flatMap(r -> list(at(r, "from")).stream()),
                        list(at(policy, "spec", "egress")).stream().flatMap(r -> list(at(r, "to")).stream()))
                .map(peer -> at(peer, "podSelector", "matchLabels")).filter(Objects::nonNull)
                .forEach(labels -> assertThat(map(labels)).doesNotContainKey("app.kubernetes.io/part-of")
                        .doesNotContainEntry("app.kubernetes.io/name", "linkgate"));
        for (Map<String, Object> service : ofKind(objects, "Service")) {
            assertThat(at(service, "spec", "selector", "app.kubernetes.io/name")).as("selector of " + at(service, "metadata",
                    "name")).isEqualTo("linkgate");
        }
        Set<Object> outPorts = list(at(policy, "spec", "egress")).stream()
                .flatMap(r -> list(at(r, "ports")).stream().map(p -> at(p, "port"))).collect(Collectors.toSet());
        assertThat(outPorts).contains(53, 22, 587);
        for (Object rule : list(at(policy, "spec", "egress"))) {
            assertThat(list(at(rule, "to"))).as("every egress rule names its destinations").isNotEmpty();
            for (Object peer : list(at(rule, "to"))) {
                assertPeerIsNarrow(peer);
            }
        }
        // PostgreSQL: in production only, and only its pods in its own namespace.
        List<Object> database = list(at(policy, "spec", "egress")).stream()
                .filter(r -> list(at(r, "ports")).stream().anyMatch(p -> Integer.valueOf(5432).equals(at(p, "port"))))
                .toList();
        if ("production".equals(overlay)) {
            assertThat(database).hasSize(1);
            assertThat(list(at(database.get(0), "to"))).singleElement().satisfies(peer -> {
                assertThat(at(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")).isEqualTo("database");
                assertThat(at(peer, "podSelector", "matchLabels", "app.kubernetes.io/name")).isEqualTo("postgresql");
            });
        } else {
            assertThat(database).as("the demo runs on H2").isEmpty();
        }

        Map<String, Object> pdb = one(objects, "PodDisruptionBudget", "linkgate");
        assertThat(at(pdb, "spec", "selector", "matchLabels", "app.kubernetes.io/name")).isEqualTo("linkgate");
        assertThat(at(pdb, "spec", "maxUnavailable")).isEqualTo(1);
    }

    /**
     * A peer admits some pods or addresses, never "everything": no empty selector, and a namespace
     * selector always comes with the pods it means.
     */
    static void assertPeerIsNarrow(Object peer) {
        Map<String, Object> p = map(peer);
        if (p.containsKey("ipBlock")) {
            assertThat(String.valueOf(at(p, "ipBlock", "cidr"))).as("ipBlock " + p).isNotIn("0.0.0.0/0", "::/0");
            return;
        }
        assertThat(p).as("peer " + p).containsKey("podSelector");
        assertThat(map(p.get("podSelector"))).as("pod selector of " + p).isNotEmpty();
        if (p.containsKey("namespaceSelector")) {
            assertThat(map(p.get("namespaceSelector"))).as("namespace selector of " + p).isNotEmpty();
        }
    }

    @Test
    void productionServesHttpsThroughAnIngressWithTls() throws Exception {
        List<Map<String, Object>> objects = render("production");
        Map<String, Object> ingress = one(objects, "Ingress", "linkgate");
        assertThat(at(ingress, "spec", "ingressClassName")).isNotNull();
        List<Object> tls = list(at(ingress, "spec", "tls"));
        assertThat(tls).isNotEmpty();
        Set<Object> tlsHosts = tls.stream().flatMap(t -> list(at(t, "hosts")).stream()).collect(Collectors.toSet());
        for (Object t : tls) {
            assertThat((String) at(t, "secretName")).isNotBlank();
        }
        for (Object rule : list(at(ingress, "spec", "rules"))) {
            assertThat(tlsHosts).as("every host served is served with TLS").contains(at(rule, "host"));
            for (Object path : list(at(rule, "http", "paths"))) {
                assertThat(at(path, "backend", "service", "name")).isEqualTo("linkgate-http");
            }
        }
        assertThat(at(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/force-ssl-redirect")).isEqualTo("true");
        Map<String, Object> config = map(new Yaml().load((String) at(one(objects, "ConfigMap", "linkgate-config"),
                "data", "application.yaml")));
        assertThat(at(config, "server", "forward-headers-strategy")).as("the client's scheme and address behind it")
                .isEqualTo("native");
        assertThat(ofKind(render("demo"), "Ingress")).as("the demo is reached by port-forward").isEmpty();
    }

    @Test
    void productionIsThreeReplicasOnPostgresqlElectedByKubernetesLeases() throws Exception {
        List<Map<String, Object>> objects = render("production");
        Map<String, Object> deployment = one(objects, "Deployment", "linkgate");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(3);
        assertThat(at(deployment, "spec", "template", "spec", "affinity", "podAntiAffinity")).isNotNull();
        assertThat(at(deployment, "spec", "template", "spec", "automountServiceAccountToken")).isEqualTo(true);
        Map<String, Object> env = map(at(one(objects, "ConfigMap", "linkgate-env"), "data"));
        assertThat(env).containsEntry("LINKGATE_CLUSTER_MODE", "kubernetes").containsEntry("LINKGATE_BOOTSTRAP_DEMO", "false");
        assertThat((String) env.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://");
        List<Object> envFrom = list(at(deployment, "spec", "template", "spec", "containers", 0, "envFrom"));
        assertThat(envFrom.stream().map(e -> at(e, "secretRef", "name"))).contains("linkgate-database");
        assertThat(list(at(one(objects, "PersistentVolumeClaim", "linkgate-home"), "spec", "accessModes")))
                .containsExactly("ReadWriteMany");
        Map<String, Object> sftp = one(objects, "Service", "linkgate-sftp");
        assertThat(at(sftp, "spec", "type")).isEqualTo("LoadBalancer");
        assertThat(list(at(sftp, "spec", "loadBalancerSourceRanges"))).isNotEmpty();
        assertThat(at(one(objects, "Service", "linkgate-http"), "spec", "type")).isEqualTo("ClusterIP");
        Set<Object> outPorts = list(at(one(objects, "NetworkPolicy", "linkgate"), "spec", "egress")).stream()
                .flatMap(r -> list(at(r, "ports")).stream().map(p -> at(p, "port"))).collect(Collectors.toSet());
        assertThat(outPorts).as("the API server, for Leases").contains(443);
    }

    @Test
    void demoIsOneReplicaGeneratingItsOwnDemoHome() throws Exception {
        List<Map<String, Object>> objects = render("demo");
        Map<String, Object> deployment = one(objects, "Deployment", "linkgate");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec", "strategy", "type")).as("H2 in the home: never two pods at once")
                .isEqualTo("Recreate");
        Map<String, Object> env = map(at(one(objects, "ConfigMap", "linkgate-env"), "data"));
        assertThat(env).containsEntry("LINKGATE_CLUSTER_MODE", "none").containsEntry("LINKGATE_BOOTSTRAP_DEMO", "true");
        assertThat(env).doesNotContainKey("SPRING_DATASOURCE_URL");
    }

    @Test
    void configurationAndRoutesConfigMapsCarryTheRepositorysRoutes() throws Exception {
        List<Map<String, Object>> objects = render("production");
        Map<String, Object> routes = map(at(one(objects, "ConfigMap", "linkgate-routes"), "data"));
        Map<String, String> repository = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                assertThat(repository.put(file.getFileName().toString(), Files.readString(file)))
                        .as("route file names are unique (the ConfigMap is flat): " + file).isNull();
            }
        }
        assertThat(new TreeMap<>(routes)).as("k8s/base/routes must be a copy of routes/ (cp routes/*/*.camel.yaml"
                + " k8s/base/routes/ and list new files in k8s/base/kustomization.yaml)").isEqualTo(repository);

        Map<String, Object> config = map(new Yaml().load((String) at(one(objects, "ConfigMap", "linkgate-config"),
                "data", "application.yaml")));
        assertThat(at(config, "linkgate", "home")).isEqualTo("/var/lib/linkgate");
        assertThat(at(config, "linkgate", "secrets-dir")).isEqualTo("/etc/linkgate/secrets");
        assertThat(at(config, "linkgate", "bootstrap-demo")).isEqualTo(false);
        assertThat(at(config, "camel", "main", "routes-include-pattern")).isEqualTo("file:/etc/linkgate/routes/*.camel.yaml");
        assertThat(at(config, "management", "endpoint", "health", "probes", "enabled")).isEqualTo(true);
    }

    @Test
    void secretTemplatesNameKeysButHoldNoValues() throws IOException {
        List<Path> templates;
        try (Stream<Path> files = Files.list(K8S.resolve("secrets"))) {
            templates = files.filter(f -> f.toString().endsWith(".template.yaml")).toList();
        }
        assertThat(templates).hasSizeGreaterThanOrEqualTo(2);
        Set<String> names = new java.util.HashSet<>();
        for (Path template : templates) {
            Map<String, Object> secret = map(new Yaml().load(Files.readString(template)));
            assertThat(secret.get("kind")).isEqualTo("Secret");
            names.add((String) at(secret, "metadata", "name"));
            Map<String, Object> values = new HashMap<>();
            for (String field : List.of("data", "stringData")) {
                if (secret.get(field) != null) {
                    values.putAll(map(secret.get(field)));
                }
            }
            assertThat(values).as(template + " names its keys").isNotEmpty();
            values.forEach((key, value) -> assertThat(value == null ? "" : value.toString())
                    .as(template + " key " + key + " must have no value").isEmpty());
        }
        assertThat(names).contains("linkgate-secrets", "linkgate-database", "linkgate-tls");
        // And no kustomization pulls a template (or any Secret) in.
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path kustomization : files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList()) {
                String text = Files.readAllLines(kustomization).stream().filter(l -> !l.strip().startsWith("#"))
                        .collect(Collectors.joining("\n"));
                assertThat(text).as(kustomization.toString()).doesNotContain("template.yaml").doesNotContain("secretGenerator");
            }
        }
    }
}
