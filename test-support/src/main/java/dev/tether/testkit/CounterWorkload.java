package dev.tether.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The switchover tests' workload: client threads that each loop an autocommit read and
 * BEGIN / 3 × UPDATE / COMMIT on their own row of a counters table, counting the commits they saw
 * acknowledged, so a test can compare them with what the database holds.
 */
public final class CounterWorkload implements AutoCloseable {
  /** Opens the connection of client {@code index}. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open(int index) throws SQLException;
  }

  public final AtomicLong acknowledged = new AtomicLong();
  /** Transactions reported rolled back (1213/40001) and writes reported "outcome unknown" (1105/HY000). */
  public final AtomicLong lost = new AtomicLong();
  public final AtomicLong unknown = new AtomicLong();
  /** What ended a client: any error, or (tolerant clients) any error but the two documented ones. */
  public final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  public final List<Connection> connections = new ArrayList<>();
  /** Clients whose connection was closed under them (a drained or killed proxy node), when that is expected. */
  public final AtomicLong disconnected = new AtomicLong();
  /** Set while a test closes connections on purpose: a client whose connection closes then just ends, counted. */
  public volatile boolean disconnectsExpected;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> clients = new ArrayList<>();
  private volatile boolean tolerant;

  /** Creates the counters table on {@code primary}, one zeroed row per client. */
  public static void createTable(MariaDbServer primary, int rows) throws SQLException {
    try (Connection admin = admin(primary); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB");
      for (int i = 0; i < rows; i++) {
        s.execute("INSERT INTO counters VALUES (" + i + ", 0)");
      }
    }
  }

  /** The sum of all counters on {@code server}: three per committed transaction. */
  public static long committedOn(MariaDbServer server) throws SQLException {
    try (Connection admin = admin(server); Statement s = admin.createStatement();
         ResultSet rs = s.executeQuery("SELECT SUM(n) FROM counters")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Starts {@code count} more clients, client i on row i. With {@code tolerant}, clients carry on
   * after the documented errors of a failover, counting them, instead of stopping.
   */
  public void start(int count, boolean tolerant, ConnectionSource source) throws SQLException {
    this.tolerant = tolerant;
    int first = connections.size();
    for (int i = first; i < first + count; i++) {
      Connection c = source.open(i);
      connections.add(c);
      int id = i;
      Thread t = new Thread(() -> loop(c, id), "counter-client-" + i);
      clients.add(t);
      t.start();
    }
  }

  /** Stops every client and waits for it. */
  public void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : clients) {
      t.join(30_000);
    }
  }

  /** Stops the clients without waiting and closes their connections. */
  @Override
  public void close() throws SQLException {
    stop.set(true);
    for (Connection c : connections) {
      c.close();
    }
  }

  private void loop(Connection c, int id) {
    try (Statement s = c.createStatement()) {
      while (!stop.get()) {
        try (ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = " + id)) {
          rs.next();
        }
        String step = "BEGIN";
        try {
          s.execute("BEGIN");
          step = "UPDATE";
          for (int k = 0; k < 3; k++) {
            s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + id);
          }
          step = "COMMIT";
          s.execute("COMMIT");
          acknowledged.incrementAndGet();
        } catch (SQLException e) {
          if (!tolerant) {
            throw e;
          }
          if (e.getErrorCode() == 1213 && "40001".equals(e.getSQLState())) {
            lost.incrementAndGet(); // documented: rolled back, retry
          } else if (e.getErrorCode() == 1105 && "HY000".equals(e.getSQLState())) {
            if ("COMMIT".equals(step)) {
              unknown.incrementAndGet(); // documented: outcome unknown
            }
            rollbackQuietly(s);
          } else {
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      if (disconnectsExpected && isDisconnect(e)) {
        disconnected.incrementAndGet();
      } else {
        errors.add(e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
      }
    }
  }

  /** A connection lost or closed by its server: SQLSTATE class 08, or ER_SERVER_SHUTDOWN (a draining node). */
  private static boolean isDisconnect(SQLException e) {
    return e.getErrorCode() == 1053 || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
  }

  private static void rollbackQuietly(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // the next round shows whether the connection works
    }
  }

  private static Connection admin(MariaDbServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(MariaDbServer.ADMIN_USER, MariaDbServer.ADMIN_PASSWORD));
  }
}
