package dev.tether.coordinator;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may use the admin API: a request with {@code Authorization: Bearer <token>}. The status page
 * ({@code GET /}, read-only) may also be opened in a browser: {@code /?token=<token>} once sets the
 * token as an HttpOnly, SameSite=Strict cookie and redirects to {@code /}, which the page's
 * refreshes then use. The cookie opens nothing else, so a page elsewhere cannot make a browser
 * that holds it run a switchover.
 */
final class AdminAuth implements Handler<RoutingContext> {
  static final String COOKIE = "tether_token";

  private final String token;

  AdminAuth(String token) {
    this.token = token;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (("Bearer " + token).equals(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    boolean page = ctx.request().method() == HttpMethod.GET && "/".equals(ctx.request().path());
    if (page && token.equals(ctx.request().getParam("token"))) {
      ctx.response().addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setPath("/")
          .setSameSite(CookieSameSite.STRICT)).setStatusCode(303).putHeader("Location", "/").end();
      return;
    }
    Cookie cookie = page ? ctx.request().getCookie(COOKIE) : null;
    if (cookie != null && token.equals(cookie.getValue())) {
      ctx.next();
    } else if (page) {
      ctx.response().setStatusCode(401).putHeader("content-type", "text/html; charset=utf-8")
          .end("<!DOCTYPE html><html><body><p>Tether status page: open <code>/?token=&lt;admin token&gt;</code>"
              + " once (coordinator.token); the browser then keeps it as a cookie for this page only.</p></body></html>");
    } else {
      ctx.response().setStatusCode(401).end(new JsonObject().put("error", "missing or wrong bearer token").encode());
    }
  }
}
