package dev.tether.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The coordinator's admin API as a test calls it: JSON over HTTP with the bearer token. */
final class AdminClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String token;

  AdminClient(int port, String token) {
    this.port = port;
    this.token = token;
  }

  /** Waits until an active coordinator answers /health. */
  void awaitActive() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (send(token, "GET", "/health", null).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no active coordinator answered on " + port);
  }

  String text(String path) throws Exception {
    return send(token, "GET", path, null).body();
  }

  JsonObject get(String path) throws Exception {
    return new JsonObject(send(token, "GET", path, null).body());
  }

  JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<String> response = send(token, "POST", path, body.encode());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  HttpResponse<String> send(String bearer, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + bearer);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
