package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.InternalExchange;
import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a MariaDB server does to a session whose COM_CHANGE_USER fails, done to the backend
 * connection the session keeps. The session is reset first, as for any COM_CHANGE_USER (session
 * and user variables, temporary tables, prepared statements, an open transaction), then the
 * previous user, schema and character set are put back, and the error comes one second later
 * (MariaDB's brake on password guessing). From the fourth failure on a connection the server answers
 * 1047 without checking the password. MySQL 8 ends the connection instead; the caller decides.
 */
final class ChangeUserDenial {
  /** Failed attempts a connection may make; later ones are refused unchecked. */
  static final int ALLOWED_FAILURES = 3;
  static final long ANSWER_DELAY_MILLIS = 1000;
  /** What MariaDB puts back after the reset: the character set of the previous session. */
  private static final List<String> KEPT = List.of("character_set_client", "character_set_connection",
      "collation_connection", "character_set_results");

  private ChangeUserDenial() {}

  /** The state MariaDB leaves: a fresh session in the same schema, with the same character set. */
  static SessionState stateAfter(SessionState before) {
    SessionState after = SessionState.initial(before.schema());
    for (String name : KEPT) {
      String value = before.systemVariables().get(name);
      if (value != null) {
        after = after.withSystemVariable(name, value);
      }
    }
    return after;
  }

  /**
   * Resets {@code backend} to {@code after} (COM_RESET_CONNECTION, the proxy's session tracking
   * when it {@code tracks}, the kept character set), and completes no sooner than the server's
   * answer delay, with the status flags the backend reported last.
   */
  static Future<Integer> reset(Vertx vertx, BackendConnection backend, SessionState after, boolean deprecateEof,
                               boolean tracks) {
    List<InternalExchange.Request> requests = new ArrayList<>();
    requests.add(new InternalExchange.Request(Buffer.buffer().appendByte((byte) Command.COM_RESET_CONNECTION), false));
    if (tracks) {
      requests.add(InternalExchange.Request.query(SessionReplayer.TRACKING));
    }
    Map<String, String> kept = new LinkedHashMap<>(after.systemVariables());
    if (!kept.isEmpty()) {
      requests.add(InternalExchange.Request.query(SessionReplayer.setSystemVariables(kept)));
    }
    Future<Integer> done = InternalExchange.run(backend, deprecateEof, requests).map(results -> {
      for (TextResult result : results) {
        if (result.isError()) {
          throw new ReplayFailure(ReplayFailure.Reason.REPLAY_STEP_FAILED, "resetting the session after a failed COM_CHANGE_USER"
              + " failed with " + result.error().errorCode() + ": " + result.error().message());
        }
      }
      return results.get(results.size() - 1).ok().statusFlags();
    });
    Promise<Void> delay = Promise.promise();
    vertx.setTimer(ANSWER_DELAY_MILLIS, id -> delay.complete());
    return Future.all(done, delay.future()).map(both -> done.result());
  }
}
