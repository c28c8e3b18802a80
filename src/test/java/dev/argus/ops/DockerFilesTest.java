package dev.argus.ops;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs here, so the Dockerfile and the compose file are checked as files: everything
 * they copy or mount exists, nothing copied is ignored, and their ports are the ones conf.json uses.
 */
class DockerFilesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path DOCKER = ROOT.resolve("docker");

  @Test
  void everyPathTheDockerfileCopiesExistsAndIsNotDockerIgnored() throws IOException {
    List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> sources = copySources();
    assertFalse(sources.isEmpty(), "no COPY in the Dockerfile");
    for (String source : sources) {
      assertTrue(Files.exists(ROOT.resolve(source)), "the Dockerfile copies " + source + ", which does not exist");
      String clean = source.replaceAll("/$", "");
      for (String pattern : ignored) {
        String p = pattern.replaceAll("/$", "");
        assertFalse(clean.equals(p) || clean.startsWith(p + "/"), ".dockerignore entry " + pattern + " hides " + source);
      }
    }
  }

  @Test
  void theComposeBuildContextAndDockerfileExist() throws IOException {
    Map<String, Object> build = map(service("argus").get("build"));
    Path context = DOCKER.resolve((String) build.get("context")).normalize();
    assertEquals(ROOT, context, "the gateway image builds from the repository root");
    assertTrue(Files.isRegularFile(context.resolve((String) build.get("dockerfile"))));
  }

  @Test
  void everyBindMountOfTheComposeFileExists() throws IOException {
    int checked = 0;
    for (Object s : map(compose().get("services")).values()) {
      Object volumes = map(s).get("volumes");
      if (volumes == null) continue;
      for (Object v : (List<?>) volumes) {
        String source = ((String) v).split(":")[0];
        if (!source.startsWith(".")) continue; // a named volume
        assertTrue(Files.exists(DOCKER.resolve(source)), "compose mounts " + source + ", which does not exist under docker/");
        checked++;
      }
    }
    assertTrue(checked >= 4, "expected the Prometheus and Grafana bind mounts, found " + checked);
  }

  @Test
  void theGatewayPortsMatchConfJson() throws IOException {
    int port = conf().getJsonObject("http").getInteger("port");
    Map<String, Object> argus = service("argus");
    assertEquals(List.of(port + ":" + port), argus.get("ports"));
    assertEquals(String.valueOf(port), map(argus.get("environment")).get("ARGUS_HTTP_PORT"));
    assertTrue(map(argus.get("healthcheck")).get("test").toString().contains(":" + port + "/health/ready"));
    List<String> dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("EXPOSE " + port), "the Dockerfile exposes another port than " + port);
    assertTrue(dockerfile.stream().anyMatch(l -> l.contains("127.0.0.1:" + port + "/health/ready")));
    assertEquals(List.of("argus:" + port), scrapeTargets("argus"));
  }

  @Test
  void theKafkaAndRedisPortsMatchConfJson() throws IOException {
    int kafkaPort = URI.create("kafka://" + conf().getJsonObject("kafka").getString("bootstrapServers")).getPort();
    Map<String, Object> env = map(service("argus").get("environment"));
    assertEquals("kafka:" + kafkaPort, env.get("ARGUS_KAFKA_BOOTSTRAP_SERVERS"));
    assertTrue(map(service("kafka").get("environment")).get("KAFKA_LISTENERS").toString().contains("PLAINTEXT://:" + kafkaPort));
    assertEquals(6379, URI.create((String) env.get("ARGUS_REDIS_URL")).getPort(), "Redis's default port");
  }

  @Test
  void prometheusLoadsTheMountedRulesAndGrafanaTheMountedDashboards() throws IOException {
    Map<String, Object> prometheus = yaml(DOCKER.resolve("prometheus/prometheus.yml"));
    List<?> mounts = (List<?>) service("prometheus").get("volumes");
    for (Object rules : (List<?>) prometheus.get("rule_files")) {
      assertTrue(mounts.stream().anyMatch(m -> m.toString().contains(":" + rules)), "the rule file " + rules + " is not mounted");
    }
    assertEquals(List.of("9090:9090"), service("prometheus").get("ports"));
    Map<String, Object> provider = map(((List<?>) yaml(DOCKER.resolve("grafana/provisioning/dashboards/argus.yml")).get("providers")).get(0));
    String path = (String) map(provider.get("options")).get("path");
    assertTrue(((List<?>) service("grafana").get("volumes")).contains("./grafana/dashboards:" + path + ":ro"));
    Map<String, Object> datasource = map(((List<?>) yaml(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml")).get("datasources")).get(0));
    assertEquals("http://prometheus:9090", datasource.get("url"));
  }

  @Test
  void grafanasAdminPasswordComesFromTheEnvFileWithAnExample() throws IOException {
    String password = map(service("grafana").get("environment")).get("GF_SECURITY_ADMIN_PASSWORD").toString();
    assertTrue(password.startsWith("${GRAFANA_ADMIN_PASSWORD:?"), "no default password: " + password);
    assertTrue(Files.readString(DOCKER.resolve(".env.example")).contains("GRAFANA_ADMIN_PASSWORD="));
  }

  private static List<String> copySources() throws IOException {
    List<String> sources = new ArrayList<>();
    for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
      String[] words = line.trim().split("\\s+");
      if (!words[0].equals("COPY") || words[1].startsWith("--from")) continue;
      for (int i = 1; i < words.length - 1; i++) sources.add(words[i]);
    }
    return sources;
  }

  private static List<String> scrapeTargets(String job) throws IOException {
    for (Object c : (List<?>) yaml(DOCKER.resolve("prometheus/prometheus.yml")).get("scrape_configs")) {
      if (job.equals(map(c).get("job_name"))) {
        List<String> targets = new ArrayList<>();
        for (Object sc : (List<?>) map(c).get("static_configs")) {
          ((List<?>) map(sc).get("targets")).forEach(t -> targets.add(t.toString()));
        }
        return targets;
      }
    }
    throw new AssertionError("no scrape job " + job);
  }

  private static JsonObject conf() throws IOException {
    return new JsonObject(Files.readString(ROOT.resolve("src/main/resources/conf.json")));
  }

  private static Map<String, Object> compose() throws IOException {
    return yaml(DOCKER.resolve("compose.yaml"));
  }

  private static Map<String, Object> service(String name) throws IOException {
    Object s = map(compose().get("services")).get(name);
    assertTrue(s != null, "no service " + name + " in compose.yaml");
    return map(s);
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
