package dev.tether.proxy;

import dev.tether.cluster.ClusterUserStore;
import dev.tether.config.StaticUserStore;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserStore;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.node.ProxyMetrics;
import dev.tether.proxy.session.KillRouter;
import dev.tether.proxy.session.NodeSessions;
import dev.tether.proxy.switchover.ClusterAgent;
import dev.tether.proxy.switchover.NodeNumbers;
import dev.tether.proxy.switchover.NodeSwitchover;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy node: one {@link ProxyVerticle} per event loop on the MySQL port, plus the HTTP
 * endpoints for health, readiness (for the load balancer) and Prometheus metrics.
 */
public final class ProxyNode {
  private static final Logger log = LoggerFactory.getLogger(ProxyNode.class);

  private final Vertx vertx;
  private final NodeServices services;
  private final String deploymentId;
  private final HttpServer http;
  private final NodeSwitchover switchover;
  private final NodeSessions sessions;
  private final NodeNumbers numbers;
  private ClusterAgent agent;

  private ProxyNode(Vertx vertx, NodeServices services, NodeSessions sessions, NodeNumbers numbers,
                    String deploymentId, HttpServer http, List<ProxyVerticle> verticles) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.numbers = numbers;
    this.services = services;
    this.deploymentId = deploymentId;
    this.http = http;
    this.switchover = new NodeSwitchover(vertx, services, verticles);
    sessions.onChange(switchover::sessionChanged);
  }

  /** Starts a node; {@code registry} may be shared with Vert.x's own metrics. */
  public static Future<ProxyNode> start(Vertx vertx, TetherConfig config, PrometheusMeterRegistry registry) {
    Future<UserStore> users = vertx.isClustered()
        ? ClusterUserStore.start(vertx, config.users()).map(store -> (UserStore) store)
        : Future.succeededFuture(new StaticUserStore(config.users()));
    java.util.concurrent.atomic.AtomicReference<NodeServices> built = new java.util.concurrent.atomic.AtomicReference<>();
    return users.compose(store -> NodeAccounts.withDatabaseAccounts(vertx, config, store, built::get))
        .compose(store -> vertx.executeBlocking(() -> new NodeServices(config, store,
            TlsMaterial.serverContext(config.proxy().tls()), TlsMaterial.rsaKeys(config.proxy().tls()),
            new ProxyMetrics(registry))))
        .andThen(done -> built.set(done.result()))
        .onSuccess(services -> NodeCommitMarkers.start(vertx, services))
        .compose(services -> {
          NodeSessions sessions = new NodeSessions();
          NodeNumbers numbers = new NodeNumbers(vertx, services.config().cluster().nodeId());
          return numbered(vertx, sessions, numbers).compose(ready -> deploy(vertx, config, registry, services,
              sessions, numbers));
        })
        .compose(node -> node.joinFleet().map(node))
        .onSuccess(node -> log.info("Tether proxy listening on {}:{} for backend {}:{} (http {})",
            config.proxy().host(), config.proxy().port(), config.backend().host(), config.backend().port(),
            config.proxy().httpPort()));
  }

  /** One {@link ProxyVerticle} per event loop, then the HTTP endpoints. */
  private static Future<ProxyNode> deploy(Vertx vertx, TetherConfig config, PrometheusMeterRegistry registry,
                                          NodeServices services, NodeSessions sessions, NodeNumbers numbers) {
    List<ProxyVerticle> verticles = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          ProxyVerticle verticle = new ProxyVerticle(services, sessions);
          verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(config.proxy().eventLoops()))
        .compose(deployment -> startHttp(vertx, services, registry)
            .map(http -> new ProxyNode(vertx, services, sessions, numbers, deployment, http, verticles)));
  }

  /** Leases the node number of the connection ids and starts answering KILLs, before any client is accepted. */
  private static Future<Void> numbered(Vertx vertx, NodeSessions sessions, NodeNumbers numbers) {
    return numbers.lease().compose(number -> {
      sessions.connectionIds().node(number);
      KillRouter router = new KillRouter(vertx, sessions.registry(), number);
      sessions.kills(router);
      return router.start();
    });
  }

  public static Future<ProxyNode> start(Vertx vertx, TetherConfig config) {
    return start(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  private static Future<HttpServer> startHttp(Vertx vertx, NodeServices services, PrometheusMeterRegistry registry) {
    var proxy = services.config().proxy();
    if (proxy.httpPort() <= 0) {
      return Future.succeededFuture(null);
    }
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "UP")));
    router.get("/ready").handler(ctx -> {
      boolean ready = services.identity() != null && !services.drain().draining();
      ctx.response().setStatusCode(ready ? 200 : 503)
          .end(ready ? "ready" : services.drain().draining() ? "draining" : "backend not seen yet");
    });
    // POST /drain[?timeoutSeconds=N]: stop taking clients, close those left at the deadline; GET: how far it is
    router.post("/drain").handler(ctx -> {
      String asked = ctx.request().getParam("timeoutSeconds");
      services.drain().start(asked != null ? java.time.Duration.ofSeconds(Long.parseLong(asked))
          : services.config().proxy().drainTimeout(), System.currentTimeMillis());
      log.info("draining: no new clients; the {} connected may leave until the deadline",
          services.metrics().clientConnections().get());
      ctx.json(drainStatus(services));
    });
    router.get("/drain").handler(ctx -> ctx.json(drainStatus(services)));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer().requestHandler(router).listen(proxy.httpPort(), proxy.host());
  }

  private static io.vertx.core.json.JsonObject drainStatus(NodeServices services) {
    return new io.vertx.core.json.JsonObject().put("draining", services.drain().draining())
        .put("deadlineMillis", services.drain().deadlineMillis())
        .put("clients", services.metrics().clientConnections().get());
  }

  public NodeServices services() {
    return services;
  }

  /** The node's sessions: by connection id, and the router of KILLs that name them. */
  public NodeSessions sessions() {
    return sessions;
  }

  /** On a clustered Vert.x, registers the node and answers the coordinator's phase commands. */
  private Future<Void> joinFleet() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    var config = services.config();
    agent = new ClusterAgent(vertx, config.cluster().nodeId(), switchover);
    return agent.start(new io.vertx.core.json.JsonObject()
        .put("host", config.proxy().host()).put("port", config.proxy().port())
        .put("httpPort", config.proxy().httpPort()));
  }

  /** This node's part of switchovers (driven by the coordinator, or by tests playing it). */
  public NodeSwitchover switchover() {
    return switchover;
  }

  public ProxyMetrics metrics() {
    return services.metrics();
  }

  public Future<Void> stop() {
    Future<Void> left = agent == null ? Future.succeededFuture() : agent.stop().recover(e -> Future.succeededFuture());
    Future<Void> httpClosed = left.compose(ignored -> http == null ? Future.succeededFuture() : http.close());
    return httpClosed.compose(closed -> vertx.undeploy(deploymentId))
        .compose(undeployed -> sessions.kills().stop())
        .compose(stopped -> numbers.release().recover(e -> Future.succeededFuture()));
  }
}
