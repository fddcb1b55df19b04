package dev.tether.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's door: a request passes only with {@code Authorization: Bearer <token>}. The
 * status page ({@code GET /}, read-only) may also be opened in a browser: {@code /?token=<token>}
 * once sets the token as an HttpOnly, SameSite=Strict cookie and redirects to {@code /}, which the
 * page's refreshes then use; the cookie opens nothing else, so a page elsewhere cannot make a
 * browser that holds it run a switchover. Every comparison takes the same time whatever was sent
 * (both sides hashed to one length, compared with {@link MessageDigest#isEqual}); a refused request
 * gets 401, is counted, and is logged by neither its header nor its token.
 */
final class AdminGuard implements Handler<RoutingContext> {
  static final String UNAUTHORIZED = "tether.coordinator.admin.unauthorized";
  static final String COOKIE = "tether_token";

  private final String token;
  private final byte[] expected;
  private final Counter unauthorized;

  AdminGuard(String token, MeterRegistry registry) {
    this.token = token;
    this.expected = digest(token);
    this.unauthorized = Counter.builder(UNAUTHORIZED)
        .description("admin API requests refused for a missing or wrong bearer token").register(registry);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.startsWith("Bearer ") && matches(header.substring("Bearer ".length()))) {
      ctx.next();
      return;
    }
    boolean page = ctx.request().method() == HttpMethod.GET && "/".equals(ctx.request().path());
    String asked = page ? ctx.request().getParam("token") : null;
    if (asked != null && matches(asked)) {
      ctx.response().addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setPath("/")
          .setSameSite(CookieSameSite.STRICT)).setStatusCode(303).putHeader("Location", "/").end();
      return;
    }
    Cookie cookie = page ? ctx.request().getCookie(COOKIE) : null;
    if (cookie != null && matches(cookie.getValue())) {
      ctx.next();
      return;
    }
    unauthorized.increment();
    if (page) {
      ctx.response().setStatusCode(401).putHeader("content-type", "text/html; charset=utf-8")
          .end("<!DOCTYPE html><html><body><p>Tether status page: open <code>/?token=&lt;admin token&gt;</code>"
              + " once (coordinator.token); the browser then keeps it as a cookie for this page only.</p></body></html>");
    } else {
      ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
          .putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "missing or wrong bearer token").encode());
    }
  }

  private boolean matches(String presented) {
    return MessageDigest.isEqual(expected, digest(presented));
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
