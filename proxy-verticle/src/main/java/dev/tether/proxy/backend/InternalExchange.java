package dev.tether.proxy.backend;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.PayloadWriter;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.TextResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the proxy's own commands on a backend connection: all written at once (pipelined), each
 * response delimited by a {@link ResponseTracker} and decoded. Borrows the connection
 * ({@link BackendConnection#lend}) until {@link #run} completes and gives it back to its owner;
 * nothing of it reaches the client. A failed exchange on an open connection keeps it (its owner
 * takes it back explicitly, or closes it).
 */
public final class InternalExchange implements FrameSink {
  /** One command: its payload, and whether it is a COM_STMT_PREPARE. */
  public record Request(Buffer payload, boolean prepare) {
    public static Request query(String sql) {
      return new Request(Buffer.buffer().appendByte((byte) Command.COM_QUERY).appendString(sql, "UTF-8"), false);
    }

    public static Request prepare(String sql) {
      return new Request(Buffer.buffer().appendByte((byte) Command.COM_STMT_PREPARE).appendString(sql, "UTF-8"), true);
    }
  }

  private final BackendConnection backend;
  private final boolean deprecateEof;
  private final ResponseTracker tracker;
  private final ArrayDeque<Request> requests = new ArrayDeque<>();
  private final List<TextResult> results = new ArrayList<>();
  private final Promise<List<TextResult>> done = Promise.promise();
  private final long maxResponseBytes;
  private long responseBytes;
  private List<Buffer> frames = new ArrayList<>();

  private InternalExchange(BackendConnection backend, boolean deprecateEof, long maxResponseBytes) {
    this.backend = backend;
    this.deprecateEof = deprecateEof;
    this.maxResponseBytes = maxResponseBytes;
    this.tracker = new ResponseTracker(deprecateEof);
  }

  /** Sends every request and completes with their responses in order; fails if the connection closes. */
  public static Future<List<TextResult>> run(BackendConnection backend, boolean deprecateEof, List<Request> requests) {
    return run(backend, deprecateEof, requests, Long.MAX_VALUE);
  }

  /**
   * As {@link #run(BackendConnection, boolean, List)}, failing with {@link ResponseTooLarge} once the
   * responses together exceed {@code maxResponseBytes}; the connection is then unusable. A request
   * that does not fit one packet fails the whole exchange with {@link StatementTooLong}, before
   * anything is sent.
   */
  public static Future<List<TextResult>> run(BackendConnection backend, boolean deprecateEof, List<Request> requests,
                                      long maxResponseBytes) {
    InternalExchange exchange = new InternalExchange(backend, deprecateEof, maxResponseBytes);
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    for (Request request : requests) {
      if (request.payload().length() >= Packets.MAX_FRAME_PAYLOAD) { // the proxy's own commands are one frame
        return Future.failedFuture(new StatementTooLong(request.payload().length()));
      }
    }
    exchange.requests.addAll(requests);
    BackendConnection.Loan loan = backend.lend(exchange, closed -> exchange.done.tryFail("backend connection closed"
        + " during " + requests.size() + " internal command(s)"));
    exchange.done.future().onComplete(done -> {
      if (done.succeeded() || backend.isClosed()) {
        loan.giveBack(); // a connection left mid-response stays with the exchange, which ignores the rest
      }
    });
    Buffer out = Buffer.buffer();
    for (Request request : requests) {
      out.appendBuffer(new PayloadWriter(request.payload().length()).bytes(request.payload()).toPacket(0));
    }
    exchange.tracker.expectResponseTo(requests.get(0).payload());
    backend.write(out);
    return exchange.done.future();
  }

  /** The responses outgrew the bound the caller set. */
  static final class ResponseTooLarge extends RuntimeException {
    ResponseTooLarge(long maxBytes) {
      super("the response exceeded " + maxBytes + " bytes", null, false, false);
    }
  }

  /** A request over one packet: the proxy's own commands are one frame, so nothing was sent. */
  public static final class StatementTooLong extends RuntimeException {
    StatementTooLong(int payloadBytes) {
      super("a statement of " + payloadBytes + " bytes does not fit one packet", null, false, false);
    }
  }

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    if (done.future().isComplete()) {
      return;
    }
    responseBytes += payload.length();
    if (responseBytes > maxResponseBytes) {
      done.tryFail(new ResponseTooLarge(maxResponseBytes));
      return;
    }
    frames.add(payload);
    int flags = tracker.onBackendFrame(payload);
    if ((flags & ResponseTracker.COMPLETE) == 0) {
      return;
    }
    Request request = requests.poll();
    try {
      results.add(TextResult.decode(frames, deprecateEof, request.prepare()));
    } catch (RuntimeException e) {
      done.tryFail(e);
      return;
    }
    frames = new ArrayList<>();
    if (requests.isEmpty()) {
      done.tryComplete(results);
    } else {
      tracker.expectResponseTo(requests.peek().payload());
    }
  }
}
