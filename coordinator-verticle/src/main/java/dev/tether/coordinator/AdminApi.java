package dev.tether.coordinator;

import dev.tether.config.CoordinatorConfig;
import dev.tether.config.SwitchoverMode;
import dev.tether.coordinator.status.StatusPage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Function;

/**
 * The coordinator's HTTP/JSON admin API, behind a bearer token ({@link AdminAuth}): GET /health,
 * GET /topology (with each server's last health reading), GET /sessions (per node: sessions,
 * quiescent, in a transaction, migrating), GET /status (all of it plus the recent switchovers),
 * GET / (the same as a self-refreshing HTML page), POST /switchover (optional
 * {"target": "host:port", "mode": "drain"|"replay"}; 400 for an unknown mode), POST /rejoin, /replicas/remove, /replicas/add and /decide (each
 * {"server": "host:port"}), GET /metrics (Prometheus). Served by the active coordinator only, over TLS when
 * {@code coordinator.adminTls.enabled}. A refused request is 409 with {@code error} (the message) and
 * {@code reason} (its {@link SwitchoverFailure} or {@link MembershipRefusal}, null for a failure that is no refusal).
 */
final class AdminApi {
  private AdminApi() {}

  static Future<HttpServer> start(Vertx vertx, CoordinatorConfig config, String host, Coordination parts,
                                  CoordinatorMetrics metrics, String nodeId, MeterRegistry registry) {
    Router router = Router.router(vertx);
    router.route().handler(new AdminGuard(config.token(), registry));
    String admin = host + ":" + config.adminPort();
    router.get("/status").handler(ctx -> reply(ctx,
        StatusSnapshot.read(vertx, config, nodeId, admin, parts)));
    router.get("/").handler(ctx -> StatusSnapshot.read(vertx, config, nodeId, admin, parts)
        .onComplete(done -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
            .putHeader("cache-control", "no-store")
            .end(done.succeeded() ? StatusPage.render(done.result()) : "status unreadable: " + done.cause().getMessage())));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4")
        .end(metrics.scrape()));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP").put("role", "active")
        .put("nodeId", nodeId)));
    router.get("/topology").handler(ctx -> reply(ctx, parts.store.topology().compose(t ->
        ServerMonitor.readings(vertx, config.servers()).map(servers -> t.toJson().put("servers", servers)))));
    router.get("/sessions").handler(ctx -> reply(ctx, parts.fleet.sessions()));
    router.post("/switchover").handler(BodyHandler.create().setBodyLimit(4096)).handler(ctx -> {
      JsonObject body = ctx.body().length() > 0 ? ctx.body().asJsonObject() : new JsonObject();
      SwitchoverMode mode;
      try {
        mode = body.getString("mode") == null ? null : SwitchoverMode.parse(body.getString("mode"));
      } catch (IllegalArgumentException e) {
        badRequest(ctx, e.getMessage());
        return;
      }
      reply(ctx, parts.recorder.record(RunKind.PLANNED,
          () -> parts.orchestrator.planned(body.getString("target"), mode)));
    });
    membership(router, "/rejoin", server -> parts.membership.rejoin(server));
    membership(router, "/replicas/remove", server -> parts.membership.remove(server));
    membership(router, "/replicas/add", server -> parts.membership.add(server));
    membership(router, "/decide", server -> parts.membership.decide(server));
    return vertx.createHttpServer(AdminTls.serverOptions(config.adminTls())).requestHandler(router)
        .listen(config.adminPort(), host);
  }

  private static void membership(Router router, String path, Function<String, Future<JsonObject>> change) {
    router.post(path).handler(BodyHandler.create().setBodyLimit(4096)).handler(ctx -> {
      String server = ctx.body().length() > 0 ? ctx.body().asJsonObject().getString("server") : null;
      if (server == null) {
        badRequest(ctx, "expected {\"server\": \"host:port\"}");
        return;
      }
      reply(ctx, change.apply(server));
    });
  }

  private static void badRequest(RoutingContext ctx, String error) {
    ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", error).encode());
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.json(done.result());
      } else {
        ctx.response().setStatusCode(409).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", String.valueOf(done.cause().getMessage()))
                .put("reason", Refused.reasonOf(done.cause())).encode());
      }
    });
  }
}
