package org.acme.healthcare.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests the Quarkus Kubernetes extension writes to target/kubernetes/kubernetes.yml at
 * package time (run by failsafe, hence after packaging): what a cluster needs to run the
 * service safely is really in them.
 */
class KubernetesManifestIT {
    static final String NAME = "healthcare-api";
    static final String SECRET = "healthcare-api-secrets";
    static final String CONFIG_MAP = "healthcare-api-config";

    static List<JsonNode> resources;
    static JsonNode deployment;
    static JsonNode pod;
    static JsonNode container;
    static Map<String, JsonNode> env;

    @BeforeAll
    static void read() throws IOException {
        resources = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(Path.of("target/kubernetes/kubernetes.yml").toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    resources.add(doc);
                }
            }
        }
        deployment = find("Deployment", NAME);
        pod = deployment.at("/spec/template/spec");
        assertEquals(1, pod.path("containers").size(), "one container");
        container = pod.path("containers").get(0);
        env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    }

    static JsonNode find(String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.path("kind").asText()) && name.equals(r.at("/metadata/name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in kubernetes.yml"));
    }

    @Test
    void deploymentRunsAtLeastTwoReplicasWithRollingUpdates() {
        assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "replicas");
        assertEquals("RollingUpdate", deployment.at("/spec/strategy/type").asText());
        JsonNode maxUnavailable = deployment.at("/spec/strategy/rollingUpdate/maxUnavailable");
        assertTrue(maxUnavailable.asText().equals("0%") || (maxUnavailable.isInt() && maxUnavailable.asInt() == 0),
                "no pod may go before its replacement is ready: " + maxUnavailable);
        for (String field : List.of("maxSurge", "maxUnavailable")) {
            JsonNode value = deployment.at("/spec/strategy/rollingUpdate/" + field);
            assertTrue(value.isInt() || value.asText().matches("\\d+%"),
                    field + " must be a number or a percentage, Kubernetes rejects a quoted number: " + value);
        }
        assertFalse(deployment.at("/spec/selector/matchLabels").has("app.kubernetes.io/version"),
                "a version in the selector makes the next rollout fail (selectors are immutable)");
    }

    @Test
    void probesUseTheHealthEndpoints() {
        int port = container.at("/ports/0/containerPort").asInt();
        assertEquals(8080, port);
        Map<String, String> expected = Map.of("livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready",
                "startupProbe", "/q/health/started");
        expected.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals(path, get.path("path").asText(), probe);
            assertEquals(port, get.path("port").asInt(), probe);
        });
        int startupBudget = container.at("/startupProbe/periodSeconds").asInt()
                * container.at("/startupProbe/failureThreshold").asInt();
        assertTrue(startupBudget >= 60, "a slow first start (migrations) must not be killed: " + startupBudget + " s");
    }

    @Test
    void resourcesHaveRequestsAndLimits() {
        JsonNode resources = container.path("resources");
        for (String kind : List.of("requests", "limits")) {
            for (String what : List.of("cpu", "memory")) {
                assertFalse(resources.path(kind).path(what).asText().isBlank(), kind + "." + what);
            }
        }
        assertTrue(mebibytes(resources.at("/limits/memory").asText()) >= mebibytes(resources.at("/requests/memory").asText()));
        assertTrue(mebibytes(resources.at("/requests/memory").asText()) >= 256, "the JVM image is sized for 256 MB RSS");
    }

    static long mebibytes(String quantity) {
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        throw new AssertionError("unexpected memory quantity " + quantity);
    }

    @Test
    void runsAsNonRoot() {
        JsonNode podContext = pod.path("securityContext");
        assertTrue(podContext.path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        assertNotEquals(0, podContext.path("runAsUser").asInt(0), "runAsUser must be set and not root");
        assertTrue(podContext.has("runAsUser"));
        JsonNode containerContext = container.path("securityContext");
        assertFalse(containerContext.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation");
        assertEquals("ALL", containerContext.at("/capabilities/drop/0").asText(), "drop all capabilities");
    }

    @Test
    void databasePasswordComesFromTheSecret() {
        JsonNode password = env.get("QUARKUS_DATASOURCE_PASSWORD");
        assertNotNull(password, "QUARKUS_DATASOURCE_PASSWORD");
        assertFalse(password.has("value"), "never a literal password");
        assertEquals(SECRET, password.at("/valueFrom/secretKeyRef/name").asText());
        assertFalse(password.at("/valueFrom/secretKeyRef/key").asText().isBlank());
    }

    @Test
    void jwtKeysAreFilesFromTheSecretMountedReadOnly() {
        JsonNode volume = null;
        for (JsonNode v : pod.path("volumes")) {
            if (SECRET.equals(v.at("/secret/secretName").asText())) {
                volume = v;
            }
        }
        assertNotNull(volume, "a volume from the Secret " + SECRET);
        JsonNode mount = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (volume.path("name").asText().equals(m.path("name").asText())) {
                mount = m;
            }
        }
        assertNotNull(mount, "the key volume is mounted");
        assertTrue(mount.path("readOnly").asBoolean(), "read-only");
        int mode = volume.at("/secret/defaultMode").asInt(0644);
        assertEquals(0, mode & 0007, "the private key must not be world-readable");
        List<String> files = new ArrayList<>();
        volume.at("/secret/items").forEach(i -> files.add(i.path("path").asText()));
        String dir = mount.path("mountPath").asText();
        for (String variable : List.of("SMALLRYE_JWT_SIGN_KEY_LOCATION", "MP_JWT_VERIFY_PUBLICKEY_LOCATION")) {
            JsonNode e = env.get(variable);
            assertNotNull(e, variable);
            String location = e.path("value").asText();
            assertTrue(location.startsWith(dir + "/"), variable + " must point into the mounted Secret: " + location);
            assertTrue(files.contains(location.substring(dir.length() + 1)),
                    variable + " names a file the Secret volume provides: " + location + " not in " + files);
        }
    }

    @Test
    void everythingElseComesFromTheConfigMap() {
        boolean fromConfigMap = false;
        for (JsonNode source : container.path("envFrom")) {
            fromConfigMap |= CONFIG_MAP.equals(source.at("/configMapRef/name").asText());
        }
        assertTrue(fromConfigMap, "envFrom the ConfigMap " + CONFIG_MAP);
        JsonNode data = find("ConfigMap", CONFIG_MAP).path("data");
        assertTrue(data.has("QUARKUS_DATASOURCE_JDBC_URL"));
        assertTrue(data.has("QUARKUS_DATASOURCE_USERNAME"));
        data.fieldNames().forEachRemaining(key -> assertFalse(key.matches(".*(PASSWORD|SECRET|PRIVATE).*"),
                "a secret does not belong in a ConfigMap: " + key));
    }

    @Test
    void noSecretValueIsInTheManifests() {
        assertTrue(resources.stream().noneMatch(r -> "Secret".equals(r.path("kind").asText())),
                "the Secret is created by hand from the operator's values, never generated or committed");
        env.forEach((name, e) -> {
            if (name.matches(".*(PASSWORD|SECRET).*")) {
                assertFalse(e.has("value"), name + " has a literal value");
            }
        });
    }

    @Test
    void serviceExposesThePods() {
        JsonNode service = find("Service", NAME);
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        service.at("/spec/selector").fields().forEachRemaining(
                s -> assertEquals(s.getValue().asText(), labels.path(s.getKey()).asText(), "selector " + s.getKey()));
        assertFalse(service.at("/spec/selector").isEmpty());
        assertEquals(8080, service.at("/spec/ports/0/targetPort").asInt());
    }

    /**
     * Migrations run once per rollout in the Job Quarkus generates from the Flyway init task; the
     * replicas wait for it and do not start Flyway (issue 23: start-up), and the Job is as hardened
     * and as configured (Secret, ConfigMap) as the Deployment.
     */
    @Test
    void migrationsRunOnceInTheInitJobAndTheReplicasDoNotMigrate() {
        JsonNode active = env.get("QUARKUS_FLYWAY_ACTIVE");
        assertNotNull(active, "the replicas must not migrate at start");
        assertEquals("false", active.path("value").asText());

        JsonNode job = find("Job", NAME + "-flyway-init");
        JsonNode jobPod = job.at("/spec/template/spec");
        assertEquals(1, jobPod.path("containers").size());
        JsonNode jobContainer = jobPod.path("containers").get(0);
        Map<String, JsonNode> jobEnv = new HashMap<>();
        jobContainer.path("env").forEach(e -> jobEnv.put(e.path("name").asText(), e));
        assertEquals("true", jobEnv.get("QUARKUS_INIT_AND_EXIT").path("value").asText(), "migrate, then exit");
        assertEquals("true", jobEnv.get("QUARKUS_FLYWAY_ACTIVE").path("value").asText());
        assertEquals(container.path("image").asText(), jobContainer.path("image").asText(), "the same image");
        assertEquals(SECRET, jobEnv.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
        assertFalse(jobEnv.get("QUARKUS_DATASOURCE_PASSWORD").has("value"), "never a literal password");
        assertEquals(CONFIG_MAP, jobContainer.at("/envFrom/0/configMapRef/name").asText(), "the same database settings");


        boolean waits = false;
        for (JsonNode init : pod.path("initContainers")) {
            waits |= init.path("args").toString().contains(NAME + "-flyway-init");
        }
        assertTrue(waits, "the replicas start only once the migration Job has completed");
    }
}
