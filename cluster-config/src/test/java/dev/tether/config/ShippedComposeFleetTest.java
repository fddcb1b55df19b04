package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import dev.tether.cluster.HazelcastSetup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of docker/ without a Docker engine: the compose file parses and has every
 * service; each Tether service's configuration loads with Tether's own loader (the image's file
 * plus the service's command-line overrides) and joins by TCP-IP only; addresses, ports, health
 * checks, HAProxy, Prometheus and Grafana agree with that configuration; every file a service
 * mounts or an image copies exists; the images run the JVM with the launcher's options.
 */
class ShippedComposeFleetTest {
  private static final Path DOCKER = Path.of("..", "docker");
  private static Vertx vertx;
  private static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws Exception {
    vertx = Vertx.vertx();
    Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theComposeFileHasTheWholeFleet() {
    assertEquals(Set.of("primary", "replica", "coordinator1", "coordinator2", "proxy1", "proxy2", "proxy3", "haproxy",
        "prometheus", "grafana"), services.keySet());
    for (String name : List.of("primary", "replica")) {
      assertEquals("mysql:8.0", services.get(name).get("image"), name);
      List<String> command = strings(services.get(name).get("command"));
      for (String option : List.of("--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-replica-updates=ON",
          "--read-only=ON", "--plugin-load-add=semisync_source.so", "--plugin-load-add=semisync_replica.so")) {
        assertTrue(command.contains(option), name + " runs with " + option + ": " + command);
      }
    }
    assertTrue(strings(services.get("primary").get("command")).contains("--loose-rpl-semi-sync-source-enabled=ON"));
    assertTrue(strings(services.get("replica").get("command")).contains("--loose-rpl-semi-sync-replica-enabled=ON"));
    services.forEach((name, service) -> {
      for (String port : strings(service.getOrDefault("ports", List.of()))) {
        assertTrue(port.startsWith("127.0.0.1:"), name + " publishes " + port + " on the host's loopback only");
      }
    });
  }

  @Test
  void everyTetherServiceLoadsItsConfigurationAndJoinsTheOthersByTcpIp() throws Exception {
    Set<String> members = new TreeSet<>();
    Set<String> nodeIds = new TreeSet<>();
    for (String name : tetherServices()) {
      TetherConfig config = config(name);
      assertEquals(ip(name), config.cluster().host(), name + " binds the cluster to its own address");
      members.add(config.cluster().host() + ":" + config.cluster().port());
      nodeIds.add(config.cluster().nodeId());
      assertEquals(Set.copyOf(config.cluster().members()).size(), config.cluster().members().size());
      Config hazelcast = HazelcastSetup.hazelcastConfig(config.cluster());
      assertFalse(hazelcast.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
      assertFalse(hazelcast.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled());
      assertTrue(hazelcast.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
      assertEquals("false", hazelcast.getProperty("hazelcast.phone.home.enabled"));
      assertEquals(ip("primary"), config.backend().host());
      assertEquals(List.of(ip("primary") + ":3306", ip("replica") + ":3306"), config.coordinator().servers());
      assertTrue(config.users().stream().anyMatch(u -> u.name().equals("app")), name + " knows the application user");
    }
    assertEquals(5, nodeIds.size(), "every member has its own node id: " + nodeIds);
    assertEquals(members, new TreeSet<>(config("proxy1").cluster().members()), "the member list is exactly the Tether services");
  }

  @Test
  void portsAndHealthChecksAgreeWithTheConfiguration() throws Exception {
    List<String> haproxy = Files.readAllLines(DOCKER.resolve("haproxy.cfg"));
    String prometheus = Files.readString(DOCKER.resolve("prometheus.yml"));
    for (String name : List.of("proxy1", "proxy2", "proxy3")) {
      ProxyConfig proxy = config(name).proxy();
      String check = String.join(" ", strings(((Map<?, ?>) services.get(name).get("healthcheck")).get("test")));
      assertTrue(check.contains("http://127.0.0.1:" + proxy.httpPort() + "/ready"), name + " health check: " + check);
      assertTrue(haproxy.stream().anyMatch(l -> l.trim().equals("server " + name + " " + ip(name) + ":" + proxy.port()
          + " check port " + proxy.httpPort() + " inter 1s")), "HAProxy routes to " + name + " and checks its /ready");
      assertTrue(prometheus.contains(ip(name) + ":" + proxy.httpPort()), "Prometheus scrapes " + name);
      assertEquals("0.0.0.0", proxy.host(), "a node listens on its container's interfaces");
    }
    for (String name : List.of("coordinator1", "coordinator2")) {
      TetherConfig config = config(name);
      String check = String.join(" ", strings(((Map<?, ?>) services.get(name).get("healthcheck")).get("test")));
      assertTrue(check.contains("/dev/tcp/" + ip(name) + "/" + config.cluster().port()), name + " health check: " + check);
      assertTrue(prometheus.contains(ip(name) + ":" + config.coordinator().adminPort()), "Prometheus scrapes " + name);
      assertTrue(prometheus.contains("credentials: " + config.coordinator().token()), "with the admin token");
      assertTrue(strings(services.get(name).get("ports")).stream().allMatch(p -> p.endsWith(":" + config.coordinator().adminPort())));
    }
    assertTrue(haproxy.stream().anyMatch(l -> l.trim().equals("bind *:6000")));
    assertEquals(List.of("127.0.0.1:6000:6000"), strings(services.get("haproxy").get("ports")));
  }

  @Test
  void grafanaIsProvisionedWithTheDashboardOverThisPrometheus() throws Exception {
    String datasource = Files.readString(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml"));
    assertTrue(datasource.contains("url: http://" + ip("prometheus") + ":9090"), datasource);
    JsonObject dashboard = new JsonObject(Files.readString(DOCKER.resolve("grafana/dashboards/tether.json")));
    assertTrue(datasource.contains("uid: " + dashboard.getJsonArray("panels").getJsonObject(0)
        .getJsonObject("datasource").getString("uid")), "the panels use the provisioned datasource");
    assertTrue(Files.readString(DOCKER.resolve("grafana/provisioning/dashboards/tether.yaml"))
        .contains("path: /var/lib/grafana/dashboards"));
    assertTrue(strings(services.get("grafana").get("volumes")).contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro"));
  }

  @Test
  void everyMountedAndCopiedFileExistsAndTheImagesRunTheLaunchersJvmOptions() throws Exception {
    services.forEach((name, service) -> {
      for (String volume : strings(service.getOrDefault("volumes", List.of()))) {
        Path source = DOCKER.resolve(volume.substring(0, volume.indexOf(':'))).normalize();
        assertTrue(Files.exists(source), name + " mounts " + source + ", which exists");
      }
    });
    String launcher = Files.readString(Path.of("..", "tether"));
    String pom = Files.readString(Path.of("..", "pom.xml"));
    for (String dockerfile : List.of("node.Dockerfile", "coordinator.Dockerfile")) {
      String text = Files.readString(DOCKER.resolve(dockerfile));
      assertTrue(text.contains("AS build") && text.contains("mvn "), dockerfile + " builds with Maven in its first stage");
      Matcher copies = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(text);
      while (copies.find()) {
        assertTrue(Files.exists(Path.of("..").resolve(copies.group(1))), dockerfile + " copies " + copies.group(1));
      }
      Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(text);
      assertTrue(entrypoint.find(), dockerfile + " has an exec-form ENTRYPOINT");
      List<String> args = new io.vertx.core.json.JsonArray(entrypoint.group(1)).stream().map(String::valueOf).toList();
      assertTrue(args.containsAll(List.of("-Xms128m", "-Xmx1g")), dockerfile + ": the launcher's heap");
      assertTrue(containsInOrder(args, HazelcastSetup.JVM_OPTIONS), dockerfile + ": Hazelcast's module access");
    }
    String options = String.join(" ", HazelcastSetup.JVM_OPTIONS);
    assertTrue(pom.contains(options), "the tests' surefire argLine has Hazelcast's module access");
    assertTrue(String.join(" ", launcher.replaceAll("\\s+", " ").split(" ")).contains(options),
        "the launcher runs the JVM with Hazelcast's module access");
    for (String name : tetherServices()) {
      String dockerfile = String.valueOf(((Map<?, ?>) services.get(name).get("build")).get("dockerfile"));
      assertTrue(Files.exists(Path.of("..").resolve(dockerfile)), name + " builds from " + dockerfile);
    }
  }

  private static boolean containsInOrder(List<String> args, List<String> wanted) {
    return String.join("\n", args).contains(String.join("\n", wanted));
  }

  private static List<String> tetherServices() {
    return List.of("coordinator1", "coordinator2", "proxy1", "proxy2", "proxy3");
  }

  /** The configuration a Tether service runs with: the image's file and the service's dotted overrides. */
  private static TetherConfig config(String service) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String arg : strings(services.get(service).get("command"))) {
      String[] kv = arg.split("=", 2);
      overrides.put(kv[0], kv[1]);
    }
    return ConfigLoader.load(vertx, DOCKER.resolve("tether-docker.yaml").toString(), overrides)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @SuppressWarnings("unchecked")
  private static String ip(String service) {
    Map<String, Object> networks = (Map<String, Object>) services.get(service).get("networks");
    return String.valueOf(((Map<String, Object>) networks.get("tether")).get("ipv4_address"));
  }

  private static List<String> strings(Object list) {
    List<String> result = new ArrayList<>();
    for (Object item : (List<?>) list) {
      result.add(String.valueOf(item));
    }
    return result;
  }
}
