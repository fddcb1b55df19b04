package dev.tether.coordinator;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the coordinator asks of a database server ("host:port"): statements run in order, and
 * first values and rows read back. {@link ServerControl} does it over real connections; the
 * narrated switchover tests play the servers with a fake.
 */
interface ServerSql {
  /** Runs the statements in order on {@code server}. */
  Future<Void> run(String server, List<String> statements);

  /** The first column of the first row of {@code query}, as a string (null for NULL or no row). */
  Future<String> value(String server, String query);

  /** The first row of {@code query} as JSON (null when none), bounded by {@code timeoutMillis}. */
  Future<JsonObject> row(String server, String query, long timeoutMillis);

  /** The first row of each query in turn, on one connection (null for a query with no row). */
  Future<List<JsonObject>> rows(String server, List<String> queries, long timeoutMillis);

  /** Every row of {@code query} as JSON, bounded by {@code timeoutMillis}. */
  Future<List<JsonObject>> allRows(String server, String query, long timeoutMillis);

  /** Whether the server answers a trivial query within {@code timeoutMillis}. */
  Future<Boolean> answers(String server, long timeoutMillis);
}
