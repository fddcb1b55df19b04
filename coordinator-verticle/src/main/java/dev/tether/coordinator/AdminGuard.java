package dev.tether.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's door: a request passes only with {@code Authorization: Bearer <token>}. The
 * comparison takes the same time whatever the header holds (both sides are hashed to one length,
 * then compared with {@link MessageDigest#isEqual}); a refused request gets 401, is counted, and
 * is logged by neither its header nor its token.
 */
final class AdminGuard implements Handler<RoutingContext> {
  static final String UNAUTHORIZED = "tether.coordinator.admin.unauthorized";

  private final byte[] expected;
  private final Counter unauthorized;

  AdminGuard(String token, MeterRegistry registry) {
    this.expected = digest("Bearer " + token);
    this.unauthorized = Counter.builder(UNAUTHORIZED)
        .description("admin API requests refused for a missing or wrong bearer token").register(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && MessageDigest.isEqual(expected, digest(header))) {
      ctx.next();
      return;
    }
    unauthorized.increment();
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", "missing or wrong bearer token").encode());
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
