package dev.tether.proxy.session;

import dev.tether.proxy.frontend.ClientConnection;
import dev.tether.proxy.protocol.FrameSink;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Commands the client pipelined while the session was busy, in order, and the backpressure they
 * cause: past {@link #PAUSE_BYTES} the client's reads are paused until the queue drains. A command
 * put back ({@link #putBack}) goes first. Confined to the session's event loop.
 */
final class CommandQueue {
  /** Bytes of pipelined commands held before the client's reads are paused. */
  static final int PAUSE_BYTES = 1 << 20;

  private record Queued(int sequenceId, Buffer payload, Buffer frame) {}

  private final ClientConnection client;
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();
  private int bytes;

  CommandQueue(ClientConnection client) {
    this.client = client;
  }

  /** A frame that arrived while the session could not take it. */
  void add(int sequenceId, Buffer payload, Buffer frame) {
    queued.add(new Queued(sequenceId, payload, frame));
    bytes += frame.length();
    if (bytes > PAUSE_BYTES) {
      client.pause(ClientConnection.PAUSED_QUEUE);
    }
  }

  /** A command taken but not run yet (held, or waiting for a read-back): it goes first. */
  void putBack(int sequenceId, Buffer payload, Buffer frame) {
    queued.addFirst(new Queued(sequenceId, payload, frame));
    bytes += frame.length();
  }

  /** Hands queued frames to {@code session} while {@code ready} says it can take them; resumes reads below the bound. */
  void drainInto(FrameSink session, BooleanSupplier ready) {
    while (!queued.isEmpty() && ready.getAsBoolean()) {
      Queued next = queued.poll();
      bytes -= next.frame().length();
      session.onFrame(next.sequenceId(), next.payload(), next.frame());
    }
    if (bytes <= PAUSE_BYTES) {
      client.resume(ClientConnection.PAUSED_QUEUE);
    }
  }
}
