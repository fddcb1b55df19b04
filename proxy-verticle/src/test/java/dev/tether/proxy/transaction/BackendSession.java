package dev.tether.proxy.transaction;

import dev.tether.config.AuthPlugin;
import dev.tether.config.BackendConfig;
import dev.tether.config.UserAccount;
import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.backend.BackendConnector;
import dev.tether.proxy.backend.BackendTarget;
import dev.tether.proxy.backend.LoginRequest;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.testkit.MariaDbServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real backend connection, opened with the proxy's own {@link BackendConnector}, driven the way a
 * session drives it: each command goes through the journal, each response frame is tracked and
 * handed to it, and a pending commit marker is pipelined before its COMMIT and its answer kept
 * from the caller. Test-side only; every call blocks until the event loop has done it.
 */
final class BackendSession implements FrameSink {
  static final long CAPABILITIES = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
      | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_TRANSACTIONS | Capabilities.CLIENT_MULTI_RESULTS
      | Capabilities.CLIENT_LONG_FLAG | Capabilities.CLIENT_DEPRECATE_EOF | Capabilities.CLIENT_SESSION_TRACK;
  static final String TRACKING = "SET SESSION session_track_schema=ON, session_track_state_change=ON,"
      + " session_track_system_variables='*', session_track_transaction_info='OFF'";

  final Vertx vertx;
  final Context context;
  final BackendConnection backend;
  final TransactionJournal journal;
  private ResponseTracker tracker;
  private Promise<List<Buffer>> awaiting;
  private List<Buffer> frames = new ArrayList<>();
  private boolean markerAnswerDue;
  /** Whether the command in flight is the client's (journaled) or the test's own. */
  private boolean journaled;

  private BackendSession(Vertx vertx, Context context, BackendConnection backend, TransactionJournal journal) {
    this.vertx = vertx;
    this.context = context;
    this.backend = backend;
    this.journal = journal;
    reclaim(-1);
  }

  /** The proxy's own connector to the test database. */
  static BackendConnector connector(Vertx vertx, int port) {
    return new BackendConnector(vertx, vertx.createNetClient(),
        new BackendConfig("127.0.0.1", port, Duration.ofSeconds(5), Duration.ofSeconds(60)),
        () -> new BackendTarget("127.0.0.1", port, 1), identity -> { }, new AtomicInteger());
  }

  static BackendSession open(Vertx vertx, int port, TransactionJournal journal) {
    Context context = vertx.getOrCreateContext();
    BackendConnector connector = connector(vertx, port);
    UserAccount app = new UserAccount(MariaDbServer.APP_USER, MariaDbServer.APP_PASSWORD, AuthPlugin.MYSQL_NATIVE_PASSWORD);
    BackendConnection backend = await(context, () -> connector.connect(
        new LoginRequest(app, MariaDbServer.SCHEMA, 45, CAPABILITIES, 1 << 24, null)));
    BackendSession session = new BackendSession(vertx, context, backend, journal);
    session.sendUnrecorded(TRACKING);
    return session;
  }

  /** Takes the connection's frames back (after a replay or lookup borrowed them), with the status it left. */
  void reclaim(int statusFlags) {
    on(() -> {
      tracker = new ResponseTracker((backend.capabilities() & Capabilities.CLIENT_DEPRECATE_EOF) != 0);
      if (statusFlags >= 0) {
        tracker.statusFlags(statusFlags);
      }
      backend.sink(this);
      backend.closeHandler(closed -> {
        if (awaiting != null) {
          awaiting.tryFail("closed");
        }
      });
      return Future.succeededFuture();
    });
  }

  static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) 3).appendString(sql);
  }

  /** Sends a command as a session would (through the journal) and returns its response frames. */
  List<Buffer> send(Buffer payload) {
    return on(() -> {
      journaled = true;
      journal.onCommandSent(payload, tracker.statusFlags());
      Buffer marker = journal.pendingMarker();
      Buffer out = Buffer.buffer();
      if (marker != null) {
        out.appendBuffer(ReplayExchange.frames(marker));
        markerAnswerDue = true;
      }
      out.appendBuffer(ReplayExchange.frames(payload.copy()));
      return expect(payload, out);
    });
  }

  List<Buffer> send(String sql) {
    return send(query(sql));
  }

  /** Sends the proxy's own statement: the journal never sees it (session tracking, setup). */
  List<Buffer> sendUnrecorded(String sql) {
    return sendUnrecorded(query(sql));
  }

  List<Buffer> sendUnrecorded(Buffer payload) {
    return on(() -> {
      journaled = false;
      return expect(payload, ReplayExchange.frames(payload));
    });
  }

  /**
   * Sends COMMIT as the session would, through {@code fault}: the marker pipelined before it when
   * the journal has one. Returns the COMMIT's response, or null when the fault dropped the connection.
   */
  List<Buffer> commit(FaultInjection fault) {
    Buffer commit = query("COMMIT");
    try {
      return on(() -> {
        journaled = true;
        this.fault = fault;
        journal.onCommandSent(commit, tracker.statusFlags());
        Buffer marker = journal.pendingMarker();
        awaiting = Promise.promise();
        frames = new ArrayList<>();
        afterMarker = commit;
        markerAnswerDue = marker != null;
        tracker.expectResponseTo(marker != null ? marker : commit);
        fault.forward(backend, marker == null ? null : ReplayExchange.frames(marker), ReplayExchange.frames(commit));
        return awaiting.future();
      });
    } catch (AssertionError dropped) {
      return null;
    }
  }

  private FaultInjection fault = FaultInjection.NONE;

  /** Writes {@code bytes}; a pipelined marker's answer comes first, then {@code command}'s (null: none awaited). */
  private Future<List<Buffer>> expect(Buffer command, Buffer bytes) {
    awaiting = Promise.promise();
    frames = new ArrayList<>();
    afterMarker = command;
    if (markerAnswerDue) {
      tracker.expectResponseTo(query("INSERT"));
    } else if (!tracker.expectResponseTo(command)) {
      backend.write(bytes);
      return Future.succeededFuture(List.of());
    }
    backend.write(bytes);
    return awaiting.future();
  }

  private Buffer afterMarker;

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    int flags = tracker.onBackendFrame(payload);
    if (markerAnswerDue) {
      if ((flags & ResponseTracker.COMPLETE) != 0) {
        markerAnswerDue = false;
        journal.onMarkerResponse(payload); // the client never sees it
        if (fault.afterMarkerAnswer(backend)) {
          return;
        }
        if (afterMarker != null) {
          tracker.expectResponseTo(afterMarker);
        } else {
          complete(List.of(payload));
        }
      }
      return;
    }
    frames.add(payload);
    if (journaled) {
      journal.onResponseFrame(payload, flags);
    }
    if ((flags & ResponseTracker.COMPLETE) != 0) {
      if (journaled) {
        journal.onResponseEnd(tracker.statusFlags());
      }
      complete(frames);
    }
  }

  private void complete(List<Buffer> result) {
    Promise<List<Buffer>> promise = awaiting;
    awaiting = null;
    promise.tryComplete(result);
  }

  int statusFlags() {
    return on(() -> Future.succeededFuture(tracker.statusFlags()));
  }

  /** Runs {@code action} on the session's event loop and waits for its future. */
  <T> T on(Supplier<Future<T>> action) {
    return await(context, action);
  }

  static <T> T await(Context context, Supplier<Future<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(ignored -> action.get().onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
      } else {
        result.completeExceptionally(done.cause());
      }
    }));
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  void close() {
    on(() -> {
      backend.close();
      return Future.succeededFuture();
    });
  }
}
