package dev.tether.coordinator;

import dev.tether.cluster.ServerAddress;
import dev.tether.config.CoordinatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The coordinator's control connections: one short-lived Vert.x MySQL client connection per
 * operation, as the configured admin user, every statement run in order and bounded in time.
 * Statements that change a server run only while this coordinator may act: one that lost its
 * leadership mid-switchover stops before its next statement instead of racing its successor.
 */
final class ServerControl implements ServerSql {
  private final Vertx vertx;
  private final CoordinatorConfig config;
  private final BooleanSupplier mayAct;

  ServerControl(Vertx vertx, CoordinatorConfig config, BooleanSupplier mayAct) {
    this.vertx = vertx;
    this.config = config;
    this.mayAct = mayAct;
  }

  /** Runs the statements in order on {@code server} ("host:port"). */
  @Override
  public Future<Void> run(String server, List<String> statements) {
    return withConnection(server, connection -> {
      Future<Void> chain = Future.succeededFuture();
      for (String sql : statements) {
        chain = chain.compose(ignored -> mayAct.getAsBoolean() ? connection.query(sql).execute().<Void>mapEmpty()
            : SwitchoverFailure.NOT_LEADING.<Void>fail("no longer the active coordinator: not running " + sql));
      }
      return chain;
    });
  }

  /** The first column of the first row of {@code query}, as a string (null for NULL or no row). */
  @Override
  public Future<String> value(String server, String query) {
    return withConnection(server, connection -> connection.query(query).execute().map(rows -> {
      for (Row row : rows) {
        Object value = row.getValue(0);
        return value == null ? null : String.valueOf(value);
      }
      return null;
    }));
  }

  /** The first row of {@code query} as JSON (null when none), bounded by {@code timeoutMillis}. */
  @Override
  public Future<io.vertx.core.json.JsonObject> row(String server, String query, long timeoutMillis) {
    return withConnection(server, connection -> connection.query(query).execute().map(rows -> {
      for (Row row : rows) {
        return row.toJson();
      }
      return null;
    }), timeoutMillis);
  }

  /** The first row of each query in turn, on one connection (null for a query with no row). */
  @Override
  public Future<List<io.vertx.core.json.JsonObject>> rows(String server, List<String> queries, long timeoutMillis) {
    return withConnection(server, connection -> {
      List<io.vertx.core.json.JsonObject> firstRows = new java.util.ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (String sql : queries) {
        chain = chain.compose(ignored -> connection.query(sql).execute().map(rows -> {
          io.vertx.core.json.JsonObject first = null;
          for (Row row : rows) {
            first = row.toJson();
            break;
          }
          firstRows.add(first);
          return null;
        }));
      }
      return chain.map(done -> firstRows);
    }, timeoutMillis);
  }

  /** Every row of {@code query} as JSON, bounded by {@code timeoutMillis}. */
  @Override
  public Future<List<io.vertx.core.json.JsonObject>> allRows(String server, String query, long timeoutMillis) {
    return withConnection(server, connection -> connection.query(query).execute().map(rows -> {
      List<io.vertx.core.json.JsonObject> all = new java.util.ArrayList<>();
      for (Row row : rows) {
        all.add(row.toJson());
      }
      return all;
    }), timeoutMillis);
  }

  /** Whether the server answers a trivial query within {@code timeoutMillis}. */
  @Override
  public Future<Boolean> answers(String server, long timeoutMillis) {
    return withConnection(server, connection -> connection.query("SELECT 1").execute().map(rows -> true), timeoutMillis)
        .recover(failure -> Future.succeededFuture(false));
  }

  private <T> Future<T> withConnection(String server, java.util.function.Function<MySQLConnection, Future<T>> work) {
    return withConnection(server, work, config.phaseTimeout().toMillis());
  }

  private <T> Future<T> withConnection(String server, java.util.function.Function<MySQLConnection, Future<T>> work,
                                       long timeoutMillis) {
    ServerAddress address = ServerAddress.parse(server);
    MySQLConnectOptions options = new MySQLConnectOptions().setHost(address.host()).setPort(address.port())
        .setUser(config.adminUser()).setPassword(config.adminPassword());
    return MySQLConnection.connect(vertx, options)
        .compose(connection -> work.apply(connection).eventually(() -> connection.close()))
        .timeout(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
