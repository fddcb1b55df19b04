package dev.tether.coordinator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database servers played by a scenario: each is up or down, read-only or writable, replicates from
 * a source or not, and has a GTID position; the MariaDB statements the coordinator runs change that
 * state, and every statement run is kept in the order it ran.
 */
final class FakeServers implements ServerSql {
  private static final Pattern CHANGE_MASTER = Pattern.compile("MASTER_HOST='([^']*)', MASTER_PORT=(\\d+)");

  /** One server's state. */
  static final class Server {
    boolean up = true;
    boolean readOnly = true;
    String source;
    boolean replicating;
    String position = "0-1-100";
    String received;
    /** Milliseconds a MASTER_GTID_WAIT takes on this server, unless it waited for that position already. */
    long catchUpMillis;
    /** The last MASTER_GTID_WAIT this server answered: waiting for it again returns at once. */
    String waited;
    final List<String> ran = new ArrayList<>();
    final List<String> epochRecords = new ArrayList<>();
  }

  private final Map<String, Server> servers = new LinkedHashMap<>();
  private final ManualClock clock;

  FakeServers(ManualClock clock) {
    this.clock = clock;
  }

  Server server(String name) {
    return servers.computeIfAbsent(name, n -> new Server());
  }

  /** A writable primary. */
  Server primary(String name) {
    Server s = server(name);
    s.readOnly = false;
    return s;
  }

  /** A read-only replica streaming from {@code source}. */
  Server replicaOf(String name, String source) {
    Server s = server(name);
    s.source = source;
    s.replicating = true;
    return s;
  }

  @Override
  public synchronized Future<Void> run(String name, List<String> statements) {
    Server s = server(name);
    if (!s.up) {
      return Future.failedFuture(name + " does not answer");
    }
    for (String sql : statements) {
      s.ran.add(sql);
      Matcher change = CHANGE_MASTER.matcher(sql);
      if (sql.equals("SET GLOBAL read_only = ON")) {
        s.readOnly = true;
      } else if (sql.equals("SET GLOBAL read_only = OFF")) {
        s.readOnly = false;
      } else if (sql.equals("STOP SLAVE") || sql.equals("STOP SLAVE IO_THREAD")) {
        s.replicating = false;
      } else if (sql.equals("RESET SLAVE ALL")) {
        s.source = null;
      } else if (sql.equals("START SLAVE")) {
        s.replicating = true;
      } else if (sql.startsWith("INSERT IGNORE INTO " + EpochRecord.TABLE)) {
        s.epochRecords.add(sql);
      } else if (change.find()) {
        s.source = change.group(1) + ":" + change.group(2);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> value(String name, String query) {
    Server s = server(name);
    if (!s.up) {
      return Future.failedFuture(name + " does not answer");
    }
    if (query.contains("@@read_only")) {
      return Future.succeededFuture(s.readOnly ? "1" : "0");
    }
    if (query.equals("SELECT @@gtid_binlog_pos")) {
      return Future.succeededFuture(s.position);
    }
    if (query.startsWith("SELECT MASTER_GTID_WAIT")) {
      if (!query.equals(s.waited)) {
        clock.advance(s.catchUpMillis);
        s.waited = query;
      }
      return Future.succeededFuture("0");
    }
    return Future.succeededFuture(null); // the old primary's direct clients: none
  }

  @Override
  public synchronized Future<JsonObject> row(String name, String query, long timeoutMillis) {
    Server s = server(name);
    if (!s.up) {
      return Future.failedFuture(name + " does not answer");
    }
    if (!query.equals("SHOW SLAVE STATUS") || s.source == null) {
      return Future.succeededFuture(null);
    }
    int colon = s.source.lastIndexOf(':');
    return Future.succeededFuture(new JsonObject().put("Master_Host", s.source.substring(0, colon))
        .put("Master_Port", Integer.parseInt(s.source.substring(colon + 1)))
        .put("Slave_IO_Running", s.replicating ? "Yes" : "No").put("Slave_SQL_Running", "Yes")
        .put("Gtid_IO_Pos", s.received == null ? s.position : s.received)
        .put("Slave_SQL_Running_State", "Slave has read all relay log; waiting for more updates"));
  }

  @Override
  public Future<List<JsonObject>> rows(String name, List<String> queries, long timeoutMillis) {
    return Future.failedFuture("not played by this scenario");
  }

  @Override
  public Future<List<JsonObject>> allRows(String name, String query, long timeoutMillis) {
    return Future.failedFuture("not played by this scenario");
  }

  @Override
  public synchronized Future<Boolean> answers(String name, long timeoutMillis) {
    return Future.succeededFuture(server(name).up);
  }
}
