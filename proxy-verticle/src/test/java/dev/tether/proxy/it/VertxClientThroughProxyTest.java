package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLAuthOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vert.x MySQL client (the coordinator's own client) through the proxy, compared with direct. */
class VertxClientThroughProxyTest {
  private static ProxyHarness proxy;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    proxy = ProxyHarness.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(proxy.awaitNoConnections(), "connections left open");
    proxy.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static MySQLConnectOptions options(int port) {
    return new MySQLConnectOptions().setHost("127.0.0.1").setPort(port).setUser("app").setPassword("app")
        .setDatabase("tether");
  }

  private static List<String> scenario(MySQLConnection c) throws Exception {
    List<String> out = new ArrayList<>();
    await(c.query("DROP TABLE IF EXISTS vx").execute());
    await(c.query("CREATE TABLE vx (id INT PRIMARY KEY, v VARCHAR(50), d DECIMAL(10,3), t DATETIME(6))"
        + " CHARACTER SET utf8mb4").execute());
    RowSet<Row> inserted = await(c.preparedQuery("INSERT INTO vx VALUES (?, ?, ?, ?)").executeBatch(List.of(
        Tuple.of(1, "ä 😀", 1.5, java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000)),
        Tuple.of(2, null, null, null))));
    out.add("inserted " + inserted.rowCount());
    for (Row row : await(c.preparedQuery("SELECT * FROM vx WHERE id >= ? ORDER BY id").execute(Tuple.of(1)))) {
      out.add(row.toJson().encode());
    }
    for (Row row : await(c.query("SELECT COUNT(*) AS n, GROUP_CONCAT(id) AS ids FROM vx").execute())) {
      out.add(row.toJson().encode());
    }
    try {
      await(c.query("SELECT * FROM vx WHERE").execute());
    } catch (Exception e) {
      MySQLException error = (MySQLException) e.getCause();
      out.add(error.getErrorCode() + " " + error.getSqlState());
    }
    await(c.changeUser(new MySQLAuthOptions().setUser("app2").setPassword("app2")));
    for (Row row : await(c.query("SELECT CURRENT_USER() AS u").execute())) {
      out.add(row.getString("u").replaceAll("@.*", ""));
    }
    await(c.ping());
    return out;
  }

  @Test
  void vertxMySqlClientSeesTheSameResultsThroughTheProxy() throws Exception {
    List<String> direct;
    List<String> proxied;
    MySQLConnection d = await(MySQLConnection.connect(vertx, options(TestDatabase.shared().port())));
    try {
      direct = scenario(d);
    } finally {
      await(d.close());
    }
    MySQLConnection p = await(MySQLConnection.connect(vertx, options(proxy.port())));
    try {
      proxied = scenario(p);
    } finally {
      await(p.close());
    }
    assertEquals(direct, proxied);
    assertEquals("app2", proxied.get(proxied.size() - 1));
  }
}
