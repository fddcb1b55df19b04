package dev.tether.proxy.it;

import dev.tether.config.AuthPlugin;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.config.UserAccount;
import dev.tether.proxy.ProxyNode;
import dev.tether.testkit.MariaDbServer;
import dev.tether.testkit.TcpRelay;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy node in this JVM in front of the real test database, with URLs for reaching the
 * database both directly and through the proxy, so every scenario can be run both ways and compared.
 * The node reaches the database through its own {@link TcpRelay}, so a test can lose the node's
 * backend connections the way a network does ({@link #relay()}).
 */
public final class ProxyHarness implements AutoCloseable {
  /** A user the node knows whose server account a test may create with few privileges (password = name). */
  public static final String LIMITED_USER = "tether_limited";

  private final Vertx vertx;
  private final ProxyNode node;
  private final int proxyPort;
  private final int backendPort;
  private final TcpRelay relay;

  private ProxyHarness(Vertx vertx, ProxyNode node, int proxyPort, int backendPort, TcpRelay relay) {
    this.vertx = vertx;
    this.node = node;
    this.proxyPort = proxyPort;
    this.backendPort = backendPort;
    this.relay = relay;
  }

  public static ProxyHarness start() throws Exception {
    return start(TestDatabase.shared().port(), Map.of());
  }

  /** Starts a node for {@code backendPort} with configuration keys overridden as dotted keys. */
  public static ProxyHarness start(int backendPort, Map<String, String> overrides) throws Exception {
    return start(backendPort, overrides, java.util.List.of());
  }

  /** As {@link #start(int, Map)}, the node also knowing {@code extraUsers}. */
  public static ProxyHarness start(int backendPort, Map<String, String> overrides,
                                   java.util.List<UserAccount> extraUsers) throws Exception {
    int port = TestDatabase.freePort();
    TcpRelay relay = TcpRelay.start(backendPort);
    Map<String, String> keys = new HashMap<>();
    keys.put("proxy.port", String.valueOf(port));
    keys.put("proxy.httpPort", "0");
    keys.put("proxy.eventLoops", "2");
    keys.put("backend.port", String.valueOf(relay.port()));
    keys.putAll(overrides);
    JsonObject json = ConfigLoader.applyOverrides(new JsonObject(), keys);
    TetherConfig base = TetherConfig.fromJson(json);
    AuthPlugin plugin = AuthPlugin.parse(overrides.getOrDefault("test.userPlugin", "mysql_native_password"));
    java.util.List<UserAccount> users = new java.util.ArrayList<>(java.util.List.of(
        new UserAccount(MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD, plugin),
        new UserAccount(MariaDbServer.APP2_USER, MariaDbServer.APP2_PASSWORD, plugin),
        new UserAccount(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD, plugin),
        new UserAccount(LIMITED_USER, LIMITED_USER, plugin)));
    users.addAll(extraUsers);
    TetherConfig config = new TetherConfig(base.proxy(), base.backend(), base.session(), base.cluster(), base.coordinator(),
        users);
    Vertx vertx = Vertx.vertx();
    ProxyNode node = ProxyNode.start(vertx, config).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    return new ProxyHarness(vertx, node, port, backendPort, relay);
  }

  /** The relay between the node and its database: sever it to lose every backend connection of this node. */
  public TcpRelay relay() {
    return relay;
  }

  /**
   * Loses every backend connection of this node at the TCP level (relay cut with RST) and waits up to
   * ten seconds until the node has rebuilt {@code sessions} more sessions than before.
   */
  public void loseBackends(int sessions) throws InterruptedException {
    double before = node.metrics().reconnectedCount();
    relay.sever();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (node.metrics().reconnectedCount() < before + sessions && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  public ProxyNode node() {
    return node;
  }

  public int port() {
    return proxyPort;
  }

  /** The database's own port (what {@link Route#DIRECT} uses), not the relay's. */
  public int backendPort() {
    return backendPort;
  }

  /** Open client connections, then backend connections, as the node counts them. */
  public int openClientConnections() {
    return node.metrics().clientConnections().get();
  }

  public int openBackendConnections() {
    return node.metrics().backendConnections().get();
  }

  /** Waits up to ten seconds for both connection counts to fall to zero. */
  public boolean awaitNoConnections() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (openClientConnections() == 0 && openBackendConnections() == 0) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  public Connection connect(Driver driver, Route route, String extraParams) throws SQLException {
    return connect(driver, route, MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD, extraParams);
  }

  public Connection connect(Driver driver, Route route, String user, String password, String extraParams)
      throws SQLException {
    int port = route == Route.PROXY ? proxyPort : backendPort;
    String url = driver.url(port) + "?user=" + user + "&password=" + password + driver.defaults()
        + (extraParams.isEmpty() ? "" : "&" + extraParams);
    return DriverManager.getConnection(url);
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    relay.close();
  }

  /** Which way a connection goes. */
  public enum Route { DIRECT, PROXY }

  /** The JDBC drivers every client scenario runs with. */
  public enum Driver {
    MARIADB("jdbc:mariadb://127.0.0.1:%d/tether", "&sslMode=disable&allowPublicKeyRetrieval=true"),
    MYSQL("jdbc:mysql://127.0.0.1:%d/tether", "&sslMode=DISABLED&allowPublicKeyRetrieval=true");

    private final String url;
    private final String defaults;

    Driver(String url, String defaults) {
      this.url = url;
      this.defaults = defaults;
    }

    String url(int port) {
      return String.format(url, port);
    }

    String defaults() {
      return defaults;
    }
  }
}
