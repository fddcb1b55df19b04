package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.coordinator.status.StatusText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an operator sees of a running fleet after a planned switchover: the status document, the
 * status command's tables, and the status page as headless Chromium renders it (DOM and screenshot).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorViewTest {
  private Fleet fleet;
  private Fleet.Coordinators coordinators;
  private JsonObject report;
  private String newPrimary;
  private int nodeHttpPort;

  @BeforeAll
  void fleetAfterASwitchover() throws Exception {
    fleet = new Fleet("opsview", 8);
    coordinators = fleet.activeAndStandby();
    fleet.startNodes(1);
    nodeHttpPort = dev.tether.testkit.TestDatabase.freePort();
    fleet.startNodeWithHttp(nodeHttpPort);
    fleet.startClients(4);
    Thread.sleep(1000);
    report = coordinators.admin().post("/switchover", new JsonObject());
    newPrimary = "127.0.0.1:" + fleet.replica.port();
    assertEquals(newPrimary, report.getString("to"));
    awaitStatus(status -> {
      JsonArray servers = status.getJsonObject("topology").getJsonArray("servers");
      return servers.size() == 2 && servers.stream().map(JsonObject.class::cast)
          .anyMatch(s -> newPrimary.equals(s.getString("server")) && "PRIMARY".equals(s.getString("role")));
    });
  }

  @AfterAll
  void close() throws Exception {
    fleet.stopClients();
    fleet.close();
  }

  @Test
  void theStatusDocumentNamesTheActiveCoordinatorEveryNodeAndTheSwitchover() throws Exception {
    JsonObject status = coordinators.admin().get("/status");
    assertEquals("coordinator", status.getJsonObject("coordinator").getString("nodeId"));
    assertEquals(newPrimary, status.getJsonObject("topology").getString("primary"));
    assertEquals(2, status.getJsonArray("nodes").size(), status.encodePrettily());
    assertTrue(status.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .allMatch(n -> Boolean.TRUE.equals(n.getBoolean("answered"))), status.encodePrettily());
    JsonObject last = status.getJsonArray("switchovers").getJsonObject(0);
    assertEquals("planned", last.getString("kind"));
    assertEquals("done", last.getString("outcome"));
    assertEquals(report.getLong("epoch"), last.getLong("epoch"));
    assertTrue(last.getJsonObject("block").getLong("millis") >= 0);
  }

  @Test
  void theStatusCommandPrintsReadableTables() throws Exception {
    String text = StatusText.status(coordinators.admin().get("/status"));
    assertTrue(text.contains("coordinator coordinator is active"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith(newPrimary) && l.contains("PRIMARY")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("node-0 ")), text);
    assertTrue(text.lines().anyMatch(l -> l.contains("planned") && l.contains(newPrimary) && l.contains("done")), text);
    String reportText = StatusText.switchoverReport(report);
    assertTrue(reportText.startsWith("switchover done: 127.0.0.1:" + fleet.primary.port() + " -> " + newPrimary), reportText);
    assertTrue(reportText.lines().anyMatch(l -> l.startsWith("block ")), reportText);
    System.out.println(text + "\n" + reportText);
  }

  @Test
  void theStatusPageShowsTheTopologyInABrowser() throws Exception {
    Chromium.require();
    int port = coordinators.config().coordinator().adminPort();
    String url = "http://127.0.0.1:" + port + "/?token=" + coordinators.config().coordinator().token();
    Path dir = Files.createDirectories(Path.of("target", "status-page"));
    String dom = Chromium.dumpDom(url, Files.createTempDirectory(dir, "profile"));
    assertTrue(dom.contains("<title>Tether fleet</title>"), dom);
    assertTrue(dom.contains("data-server=\"" + newPrimary + "\" data-role=\"PRIMARY\""), dom);
    assertTrue(dom.contains("data-server=\"127.0.0.1:" + fleet.primary.port() + "\" data-role=\"REPLICA\""), dom);
    assertTrue(dom.contains("<b id=\"epoch\">" + report.getLong("epoch") + "</b>"), dom);
    assertTrue(dom.contains("data-node=\"node-0\"") && dom.contains("data-node=\"node-1\""), dom);
    assertTrue(dom.contains("data-kind=\"planned\""), dom);
    assertTrue(dom.contains("http-equiv=\"refresh\""), dom);
    assertTrue(!dom.contains("src=\"http") && !dom.contains("href=\"http"), "no external asset: " + dom);
    Path png = dir.resolve("status-page.png");
    Chromium.screenshot(url, png, Files.createTempDirectory(dir, "profile"));
    assertTrue(Files.size(png) > 10_000, png + " is a real screenshot");
    System.out.println("status page screenshot: " + png.toAbsolutePath());
  }

  @Test
  void thePageWithoutTheTokenShowsNothingOfTheFleet() throws Exception {
    var response = coordinators.admin().send("wrong", "GET", "/", null);
    assertEquals(401, response.statusCode());
    assertTrue(!response.body().contains("127.0.0.1"), response.body());
    assertEquals(401, coordinators.admin().send("wrong", "GET", "/status", null).statusCode());
  }

  @Test
  void everyMetricTheDashboardQueriesIsServedByANodeOrTheCoordinator() throws Exception {
    String scraped = new AdminClient(nodeHttpPort, "none").text("/metrics") + "\n" + coordinators.admin().text("/metrics");
    java.util.Set<String> served = new java.util.TreeSet<>();
    for (String line : scraped.split("\n")) {
      java.util.regex.Matcher sample = java.util.regex.Pattern.compile("^(tether_[a-z0-9_]+)[{ ]").matcher(line);
      if (sample.find()) {
        served.add(sample.group(1));
      }
    }
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("..", "docker", "grafana", "dashboards", "tether.json")));
    java.util.Set<String> queried = new java.util.TreeSet<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("tether_[a-z0-9_]+")
            .matcher(((JsonObject) target).getString("expr"));
        while (name.find()) {
          queried.add(name.group());
        }
      }
    }
    assertTrue(queried.size() > 20, "the dashboard queries Tether's metrics: " + queried);
    java.util.Set<String> missing = new java.util.TreeSet<>(queried);
    missing.removeAll(served);
    assertTrue(missing.isEmpty(), "queried by the dashboard but not served: " + missing + "\nserved: " + served);
    for (String name : served) { // Prometheus conventions: base units, no milliseconds
      assertTrue(!name.contains("millis") && !name.endsWith("_ms"), name + " is in base units");
    }
    assertTrue(served.contains("tether_proxy_commands_total") && scraped.contains("tether_proxy_commands_total{command=\"query\"}"),
        "commands are counted by command");
  }

  private void awaitStatus(java.util.function.Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonObject status = null;
    while (System.nanoTime() < deadline) {
      status = coordinators.admin().get("/status");
      if (status.getJsonObject("topology") != null && condition.test(status)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("status never showed the expected topology: " + (status == null ? null : status.encodePrettily()));
  }

  static List<String> lines(String text) {
    return new ArrayList<>(text.lines().toList());
  }
}
