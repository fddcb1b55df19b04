package dev.tether.coordinator.status;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code ./tether status} and {@code ./tether switchover} as readable tables: asks the active
 * coordinator's admin API ({@code TETHER_ADMIN_URL}, bearer {@code TETHER_TOKEN}) and prints
 * {@link StatusText}. Run from the coordinator jar:
 * {@code java -cp coordinator.jar dev.tether.coordinator.status.StatusCommand status | switchover [host:port] [--mode drain|replay]}.
 */
public final class StatusCommand {
  private StatusCommand() {}

  public static void main(String[] args) throws Exception {
    String url = System.getenv().getOrDefault("TETHER_ADMIN_URL", "http://127.0.0.1:8033");
    String token = System.getenv().getOrDefault("TETHER_TOKEN", "tether-local-test-token");
    String what = args.length > 0 ? args[0] : "status";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response;
    try {
      if ("switchover".equals(what)) {
        String body = switchoverBody(args).encode();
        response = http.send(request(url + "/switchover", token).POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
      } else if ("status".equals(what)) {
        response = http.send(request(url + "/status", token).GET().build(), HttpResponse.BodyHandlers.ofString());
      } else {
        System.err.println("usage: StatusCommand status | switchover [host:port] [--mode drain|replay]");
        System.exit(2);
        return;
      }
    } catch (IOException e) {
      System.err.println("no active coordinator answers on " + url + ": " + e);
      System.exit(1);
      return;
    }
    if (response.statusCode() != 200) {
      String error = response.body();
      try {
        error = new JsonObject(response.body()).getString("error", error);
      } catch (RuntimeException notJson) {
        // print the body as it came
      }
      System.err.println(what + " failed (HTTP " + response.statusCode() + "): " + error);
      System.exit(1);
      return;
    }
    JsonObject json = new JsonObject(response.body());
    System.out.print("switchover".equals(what) ? StatusText.switchoverReport(json) : StatusText.status(json));
  }

  private static HttpRequest.Builder request(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token);
  }

  /** The POST /switchover body: an optional target and an optional {@code --mode}. */
  static JsonObject switchoverBody(String[] args) {
    JsonObject body = new JsonObject();
    for (int i = 1; i < args.length; i++) {
      if ("--mode".equals(args[i]) && i + 1 < args.length) {
        body.put("mode", args[++i]);
      } else {
        body.put("target", args[i]);
      }
    }
    return body;
  }
}
