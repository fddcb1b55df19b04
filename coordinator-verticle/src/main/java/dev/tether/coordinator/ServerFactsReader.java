package dev.tether.coordinator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads what a server says about itself ({@link ServerFacts}): position, replication source, epoch records. */
final class ServerFactsReader {
  /** ER_NO_SUCH_TABLE / ER_BAD_DB_ERROR: the server has no epoch records yet. */
  private static final int NO_SUCH_TABLE = 1146;
  private static final int NO_SUCH_DATABASE = 1049;

  /** Its connections, flavor and phase timeout: the ones the replication operations use. */
  private final ReplicationControl replication;

  ServerFactsReader(ReplicationControl replication) {
    this.replication = replication;
  }

  /** Every configured server's facts, in configuration order; a server that does not answer is unreachable. */
  Future<List<ServerFacts>> readAll() {
    List<Future<ServerFacts>> reads = new ArrayList<>();
    for (String server : replication.config().servers()) {
      reads.add(read(server));
    }
    return Future.all(reads).map(all -> {
      List<ServerFacts> facts = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        facts.add(all.resultAt(i));
      }
      return facts;
    });
  }

  Future<ServerFacts> read(String server) {
    ServerSql servers = replication.servers();
    ReplicationFlavor flavor = replication.flavor();
    long timeout = replication.config().phaseTimeout().toMillis();
    Future<List<EpochRecord>> records = servers.allRows(server, EpochRecord.readQuery(), timeout)
        .map(rows -> rows.stream().map(EpochRecord::fromRow).toList())
        .recover(e -> noHistoryYet(e) ? Future.succeededFuture(List.of()) : Future.failedFuture(e));
    return servers.rows(server, List.of(flavor.readPosition(), flavor.replicaStatus()), timeout)
        .compose(rows -> records.map(history -> new ServerFacts(server, true, positionOf(rows.get(0)),
            sourceOf(rows.get(1)), rows.get(1) != null && "Yes".equals(rows.get(1).getString(flavor.ioRunningColumn())),
            history)))
        .recover(unreachable -> Future.succeededFuture(ServerFacts.unreachable(server)));
  }

  private static boolean noHistoryYet(Throwable e) {
    return e instanceof MySQLException m && (m.getErrorCode() == NO_SUCH_TABLE || m.getErrorCode() == NO_SUCH_DATABASE);
  }

  private static String positionOf(JsonObject row) {
    if (row == null) {
      return "";
    }
    Object value = row.getValue(row.fieldNames().iterator().next());
    return value == null ? "" : String.valueOf(value);
  }

  /** "host:port" of the server a replica status row names, or null for no replication configured. */
  private String sourceOf(JsonObject status) {
    if (status == null) {
      return null;
    }
    String host = status.getString(replication.flavor().sourceColumns().get(0));
    Object port = status.getValue(replication.flavor().sourceColumns().get(1));
    return host == null || host.isEmpty() || port == null ? null : host + ":" + port;
  }
}
