package dev.tether.proxy.backend;

import dev.tether.proxy.protocol.FrameDecoder;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.net.ByteMeter;
import dev.tether.proxy.net.SocketErrors;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One authenticated connection to a backend server, owned by one session and confined to that
 * session's event loop. Frames go to whichever sink currently owns the connection: the connector
 * while logging in, then the session; the owner lends it to the proxy's own commands
 * ({@link #lend}) and has it back, sink and close handler, when they are done.
 */
public final class BackendConnection implements FrameSink {
  // immutable after construction
  private final NetSocket socket;
  private final String address;
  private final BackendTarget target;
  private final ByteMeter traffic;

  // set once by the connector when the login succeeds
  private BackendIdentity identity;
  private long threadId;
  private long capabilities;
  private int statusFlags;

  // confined to the event loop
  private FrameSink sink;
  private Handler<Void> closeHandler;
  private Runnable closeListener = () -> {};
  private boolean closed;
  /** An I/O error (a TCP reset) came before the close: the network's or the server's idle timeout, not a KILL. */
  private boolean endedByReset;

  BackendConnection(NetSocket socket, BackendTarget target, FrameSink loginSink, ByteMeter traffic) {
    this.socket = socket;
    this.traffic = traffic;
    this.target = target;
    this.address = target.address();
    this.sink = loginSink;
    FrameDecoder decoder = new FrameDecoder(this);
    socket.handler(bytes -> {
      traffic.received(bytes.length());
      decoder.handle(bytes);
    });
    Handler<Throwable> errors = SocketErrors.BACKEND.handler(address);
    socket.exceptionHandler(e -> {
      endedByReset = true;
      errors.handle(e);
    });
    socket.closeHandler(ignored -> {
      closed = true;
      closeListener.run();
      if (closeHandler != null) {
        closeHandler.handle(null);
      }
    });
  }

  void loggedIn(BackendIdentity identity, long threadId, long capabilities, int statusFlags) {
    this.identity = identity;
    this.threadId = threadId;
    this.capabilities = capabilities;
    this.statusFlags = statusFlags;
  }

  public void sink(FrameSink sink) {
    this.sink = sink;
  }

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    sink.onFrame(sequenceId, payload, frame);
  }

  @Override
  public void onChunkEnd() {
    sink.onChunkEnd();
  }

  public void write(Buffer bytes) {
    if (!closed) {
      traffic.sent(bytes.length());
      socket.write(bytes).onFailure(e -> endedByReset = true); // a write into a reset socket closes it silently
    }
  }

  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  /**
   * Lends the connection to {@code borrower}: its frames, and its close ({@code onClose}), go there
   * until {@link Loan#giveBack}, which restores the owner's sink and close handler.
   */
  public Loan lend(FrameSink borrower, Handler<Void> onClose) {
    Loan loan = new Loan(sink, closeHandler);
    sink = borrower;
    closeHandler = onClose;
    return loan;
  }

  /** One loan of the connection; given back once. */
  public final class Loan {
    private final FrameSink ownerSink;
    private final Handler<Void> ownerClose;
    private boolean returned;

    private Loan(FrameSink ownerSink, Handler<Void> ownerClose) {
      this.ownerSink = ownerSink;
      this.ownerClose = ownerClose;
    }

    public void giveBack() {
      if (!returned) {
        returned = true;
        sink = ownerSink;
        closeHandler = ownerClose;
      }
    }
  }

  /** Whoever owns the connection now hears of its close (replaced when ownership moves). */
  public void closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
  }

  /** Runs once when the socket closes, whoever owns it then (for counting open connections). */
  void closeListener(Runnable listener) {
    this.closeListener = listener;
  }

  public void close() {
    if (!closed) {
      closed = true;
      socket.close();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Whether the connection ended with an I/O error (reset) rather than the server's orderly close. */
  public boolean endedByReset() {
    return endedByReset;
  }

  public String address() {
    return address;
  }

  /** The target (and its epoch) this connection was made to. */
  public BackendTarget target() {
    return target;
  }

  public BackendIdentity identity() {
    return identity;
  }

  /** The server's connection id: what KILL takes and CONNECTION_ID() returns on the backend. */
  public long threadId() {
    return threadId;
  }

  public long capabilities() {
    return capabilities;
  }

  /** Status flags of the login's OK packet. */
  public int statusFlags() {
    return statusFlags;
  }
}
