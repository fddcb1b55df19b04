package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.it.RawClient.Packet;
import dev.tether.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Draining a node: readiness goes down and new clients are refused with the shutdown error, while
 * connected clients carry on until they leave or the drain timeout ends, when the rest are closed.
 */
class DrainTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aDrainingNodeRefusesNewClientsKeepsItsOwnUntilTheDeadlineThenClosesThem() throws Exception {
    int httpPort = TestDatabase.freePort();
    try (ProxyHarness proxy = ProxyHarness.start(TestDatabase.shared().port(),
        Map.of("proxy.httpPort", String.valueOf(httpPort)))) {
      try (RawClient staying = RawClient.login(proxy.port(), "app", "app")) {
        assertEquals(200, get(httpPort, "/ready").statusCode());
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/drain?timeoutSeconds=2"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(started.body().contains("\"draining\":true"), started.body());
        assertEquals(503, get(httpPort, "/ready").statusCode(), "the load balancer stops routing here");

        try (RawClient late = new RawClient(proxy.port())) {
          Packet refused = late.read();
          assertTrue(refused.isErr());
          assertEquals(1053, refused.errorCode());
          assertEquals("08S01", refused.sqlState());
        }
        staying.query("SELECT 'still served while draining'");
        assertEquals("still served while draining", staying.readScalar());

        Packet closing = staying.read(); // the deadline passes while it idles
        assertTrue(closing.isErr());
        assertEquals(1053, closing.errorCode());
        assertTrue(staying.closedByPeer());
      }
      assertTrue(proxy.awaitNoConnections(), "every client and backend connection closed");
      assertTrue(get(httpPort, "/drain").body().contains("\"clients\":0"));
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
