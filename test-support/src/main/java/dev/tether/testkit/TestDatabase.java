package dev.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The real MariaDB a test suite runs against: a private server this JVM starts on a free loopback
 * port and stops at exit, or, when TETHER_DB_PORT names one that answers with the test credentials,
 * that server (e.g. a primary {@code ./tether db} and a coordinator already run).
 */
public final class TestDatabase {
  private static TestDatabase shared;

  private final String host = "127.0.0.1";
  private final int port;
  private final MariaDbServer own;

  private TestDatabase(int port, MariaDbServer own) {
    this.port = port;
    this.own = own;
  }

  /** The suite-wide database, started on first use. */
  public static synchronized TestDatabase shared() {
    if (shared == null) {
      shared = locate();
    }
    return shared;
  }

  private static TestDatabase locate() {
    String configured = System.getenv("TETHER_DB_PORT");
    if (configured != null && answers(Integer.parseInt(configured))) {
      return new TestDatabase(Integer.parseInt(configured), null);
    }
    try {
      MariaDbServer server = startPrivate("shared");
      return new TestDatabase(server.port(), server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a private MariaDB (is mariadb-server installed? ./tether test installs it)", e);
    }
  }

  /** A private server under target/, for tests that stop, kill or restart it: fresh the first time {@code name} is used in this JVM, the same data after that until it is closed. */
  public static MariaDbServer startPrivate(String name) throws IOException {
    return startPrivate(name, 1);
  }

  /** A fresh private server with its own server id, for replication topologies. */
  public static MariaDbServer startPrivate(String name, int serverId) throws IOException {
    return startPrivate(name, serverId, java.util.List.of());
  }

  /** A fresh private server with its own server id and extra mariadbd options. */
  public static MariaDbServer startPrivate(String name, int serverId, java.util.List<String> options) throws IOException {
    Path dir = Path.of("target", "mariadb-" + name + "-" + ProcessHandle.current().pid());
    MariaDbServer server = MariaDbServer.start(dir, freePort(), serverId, options);
    // tests stop their servers, some to start them again: the directory goes when the JVM does
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-test-mariadb-" + name));
    return server;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean answers(int port) {
    try (Connection ignored = DriverManager.getConnection(url(port, MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD)
        + "&connectTimeout=1000")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static String url(int port, String user, String password) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + MariaDbServer.SCHEMA + "?user=" + user + "&password=" + password;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** True when this JVM started the server (false: the launcher's). */
  public boolean isPrivate() {
    return own != null;
  }

  /** A direct admin connection, for setup and for killing backend threads. */
  public Connection admin() throws SQLException {
    return DriverManager.getConnection(url(port, MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
  }
}
