package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.frontend.ClientLogin;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends, on the server, the command of a client that left while it ran: closing the backend socket
 * alone does not stop a statement the server is busy with (a SLEEP, a long scan) until it next
 * writes. The node logs in on a connection of its own as the same user and sends KILL QUERY for
 * the session's backend thread, as ProxySQL does; counted either way.
 */
final class QueryCanceller {
  /** Counter: commands ended on the server because their client left, by outcome (killed, failed). */
  static final String METRIC = "tether.proxy.queries.cancelled";
  private static final Logger log = LoggerFactory.getLogger(QueryCanceller.class);

  private QueryCanceller() {}

  static void cancel(BackendConnector connector, ClientLogin login, BackendConnection busy, boolean deprecateEof,
                     MeterRegistry registry) {
    long thread = busy.threadId();
    connector.connect(login.toLoginRequest(), busy.target())
        .compose(own -> InternalExchange.run(own, deprecateEof,
                List.of(InternalExchange.Request.query("KILL QUERY " + thread)))
            .eventually(() -> {
              own.close();
              return Future.succeededFuture();
            }))
        .onComplete(done -> {
          boolean killed = done.succeeded() && !done.result().get(0).isError();
          registry.counter(METRIC, "outcome", killed ? "killed" : "failed").increment();
          if (!killed) {
            log.debug("could not end backend thread {} of a client that left: {}", thread,
                done.failed() ? done.cause().getMessage() : done.result().get(0).error().message());
          }
        });
  }
}
