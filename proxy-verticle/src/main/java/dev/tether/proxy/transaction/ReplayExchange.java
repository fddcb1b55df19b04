package dev.tether.proxy.transaction;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.ResponseTracker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * Sends one command on a backend connection the replay has borrowed and digests its response as
 * the journal digested the original: frame by frame through a {@link ResponseTracker}, with a
 * {@link ResponseDigest}. Nothing reaches the client. Owns the connection's frames while a command
 * is in flight.
 */
final class ReplayExchange implements FrameSink {
  /** A complete response: its digest, the error code of an ERR in it (0: none), and the status after it. */
  record Response(long digest, int errorCode, int statusFlags) {}

  /** The connection closed under the replay. */
  static final class ConnectionLost extends RuntimeException {
    ConnectionLost() {
      super("the backend connection closed during the replay", null, false, false);
    }
  }

  private final BackendConnection backend;
  private final ResponseTracker tracker;
  private final ResponseDigest digest = new ResponseDigest();
  private Promise<Response> current;

  ReplayExchange(BackendConnection backend) {
    this.backend = backend;
    this.tracker = new ResponseTracker((backend.capabilities() & Capabilities.CLIENT_DEPRECATE_EOF) != 0);
    tracker.statusFlags(backend.statusFlags());
    backend.sink(this);
    backend.closeHandler(closed -> {
      if (current != null) {
        current.tryFail(new ConnectionLost());
      }
    });
  }

  /** Sends {@code payload} (split into frames as the protocol wants) and completes with its response. */
  Future<Response> send(Buffer payload) {
    if (backend.isClosed()) {
      return Future.failedFuture(new ConnectionLost());
    }
    digest.reset();
    boolean expectsResponse = tracker.expectResponseTo(payload);
    Promise<Response> promise = Promise.promise();
    current = expectsResponse ? promise : null;
    backend.write(frames(payload));
    if (!expectsResponse) {
      promise.complete(new Response(0, 0, tracker.statusFlags()));
    }
    return promise.future();
  }

  /** The payload as frames with sequence ids from 0; a payload of a multiple of 16 MiB - 1 ends with an empty frame. */
  static Buffer frames(Buffer payload) {
    Buffer out = Buffer.buffer(payload.length() + 4 * (1 + payload.length() / Packets.MAX_FRAME_PAYLOAD));
    int sequence = 0;
    int offset = 0;
    while (true) {
      int length = Math.min(Packets.MAX_FRAME_PAYLOAD, payload.length() - offset);
      out.appendMediumLE(length).appendByte((byte) sequence++);
      out.appendBuffer(payload, offset, length);
      offset += length;
      if (length < Packets.MAX_FRAME_PAYLOAD) {
        return out;
      }
    }
  }

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    Promise<Response> promise = current;
    if (promise == null) {
      return; // nothing in flight: a stray frame, ignored (the replay fails on what it awaits instead)
    }
    int flags = tracker.onBackendFrame(payload);
    digest.update(payload, flags);
    if ((flags & ResponseTracker.COMPLETE) != 0) {
      current = null;
      promise.tryComplete(new Response(digest.value(), digest.errorCode(), tracker.statusFlags()));
    }
  }

  /** Status flags of the last OK or EOF the connection sent. */
  int statusFlags() {
    return tracker.statusFlags();
  }

  /** Fails whatever is in flight (the replay's time bound ran out). */
  void abandon(RuntimeException why) {
    if (current != null) {
      current.tryFail(why);
      current = null;
    }
  }
}
