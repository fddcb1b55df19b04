package dev.tether.coordinator;

import dev.tether.config.CoordinatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The coordinator's HTTP/JSON admin API, behind a bearer token: GET /health, GET /topology (with
 * each server's last health reading),
 * GET /sessions (per node: sessions, quiescent, in a transaction, migrating), POST /switchover
 * (optional {"target": "host:port"}), GET /metrics (Prometheus). Served by the active coordinator only,
 * over TLS when {@code coordinator.adminTls.enabled}.
 */
final class AdminApi {
  private AdminApi() {}

  static Future<HttpServer> start(Vertx vertx, CoordinatorConfig config, String host, SwitchoverOrchestrator orchestrator,
                                  CoordinatorMetrics metrics, MeterRegistry registry) {
    Router router = Router.router(vertx);
    router.route().handler(new AdminGuard(config.token(), registry));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4")
        .end(metrics.scrape()));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP").put("role", "active")));
    router.get("/topology").handler(ctx -> reply(ctx, orchestrator.topology().compose(t ->
        ServerMonitor.readings(vertx, config.servers()).map(servers -> t.toJson().put("servers", servers)))));
    router.get("/sessions").handler(ctx -> reply(ctx, orchestrator.sessions()));
    router.post("/switchover").handler(BodyHandler.create().setBodyLimit(4096)).handler(ctx -> {
      JsonObject body = ctx.body().length() > 0 ? ctx.body().asJsonObject() : new JsonObject();
      reply(ctx, orchestrator.planned(body.getString("target")));
    });
    return vertx.createHttpServer(AdminTls.serverOptions(config.adminTls())).requestHandler(router)
        .listen(config.adminPort(), host);
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.json(done.result());
      } else {
        ctx.response().setStatusCode(409).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", String.valueOf(done.cause().getMessage())).encode());
      }
    });
  }
}
