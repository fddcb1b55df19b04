package dev.tether.proxy.frontend;

import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.FrameDecoder;
import dev.tether.proxy.protocol.FrameSink;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One client's TCP connection, confined to its event loop. Frames go to the current owner (the
 * handshake, then the session); reads can be paused for several independent reasons at once.
 */
public final class ClientConnection implements FrameSink {
  /** Paused because the backend cannot take more bytes. */
  public static final int PAUSED_BACKPRESSURE = 1;
  /** Paused because commands are queued behind the one in flight. */
  public static final int PAUSED_QUEUE = 1 << 1;
  /** Paused while the proxy works for the session (logging in, changing user). */
  public static final int PAUSED_BUSY = 1 << 2;

  // immutable after construction
  private final NetSocket socket;
  private final long connectionId;
  private final String remoteHost;
  private final FrameDecoder decoder = new FrameDecoder(this);

  // confined to the event loop
  private Owner owner;
  private Runnable closeListener = () -> {};
  private long lastActivityMillis = System.currentTimeMillis();
  private int pauseReasons;
  private boolean closed;
  private boolean tls;

  /** Whoever drives the connection now: the handshake, then the session. */
  public interface Owner extends FrameSink {
    /** Periodic check of this connection's deadlines (handshake, idle, backend response). */
    void onTick(long nowMillis);

    /** The client's socket closed, by either side. */
    void onClosed();
  }

  public ClientConnection(NetSocket socket, long connectionId) {
    this.socket = socket;
    this.connectionId = connectionId;
    this.remoteHost = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    socket.handler(decoder);
    socket.closeHandler(ignored -> {
      closed = true;
      if (owner != null) {
        owner.onClosed();
      }
      closeListener.run();
    });
  }

  public void owner(Owner owner) {
    this.owner = owner;
  }

  /** Runs once when the socket closes, after the owner heard of it. */
  public void closeListener(Runnable listener) {
    this.closeListener = listener;
  }

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    lastActivityMillis = System.currentTimeMillis();
    if (!closed) {
      owner.onFrame(sequenceId, payload, frame);
    }
  }

  @Override
  public void onOversizedFrame(int payloadLength) {
    if (!closed) {
      owner.onOversizedFrame(payloadLength);
    }
  }

  /** Bounds the frames the decoder accepts (see {@link FrameDecoder#maxPayload}). */
  public void maxFramePayload(int maxPayload) {
    decoder.maxPayload(maxPayload);
  }

  @Override
  public void onChunkEnd() {
    if (!closed) {
      owner.onChunkEnd();
    }
  }

  public void tick(long nowMillis) {
    if (!closed && owner != null) {
      owner.onTick(nowMillis);
    }
  }

  public long lastActivityMillis() {
    return lastActivityMillis;
  }

  public void write(Buffer bytes) {
    if (!closed) {
      socket.write(bytes);
    }
  }

  public void sendError(ErrPacket error, int sequenceId) {
    write(error.encode(sequenceId));
  }

  /** Sends the error, then closes once it is written; with no error (null), just closes, as a killed server connection does. */
  public void closeWithError(ErrPacket error, int sequenceId) {
    if (error == null) {
      close();
    } else if (!closed) {
      socket.write(error.encode(sequenceId)).onComplete(done -> close());
      closed = true;
    }
  }

  public void close() {
    closed = true;
    socket.close();
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Puts TLS under the connection now, while handling the SSLRequest. The client sends its
   * ClientHello right behind the SSLRequest without waiting, so the TLS handler must be in the
   * pipeline before the next read, and bytes of it already received are handed to it.
   */
  public Future<Void> startTls(SslContext sslContext) {
    ChannelHandlerContext ctx = ((NetSocketInternal) socket).channelHandlerContext();
    SslHandler handler = sslContext.newHandler(ctx.alloc());
    ctx.pipeline().addFirst("tether-tls", handler);
    tls = true;
    Buffer early = decoder.takePending();
    if (early != null) {
      ctx.pipeline().fireChannelRead(Unpooled.wrappedBuffer(early.getBytes()));
    }
    Promise<Void> done = Promise.promise();
    Context context = Vertx.currentContext();
    handler.handshakeFuture().addListener(future -> context.runOnContext(ignored -> {
      if (future.isSuccess()) {
        done.tryComplete();
      } else {
        done.tryFail(future.cause());
      }
    }));
    return done.future();
  }

  public boolean isTls() {
    return tls;
  }

  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  public void pause(int reason) {
    if (pauseReasons == 0) {
      socket.pause();
    }
    pauseReasons |= reason;
  }

  public void resume(int reason) {
    int before = pauseReasons;
    pauseReasons &= ~reason;
    if (before != 0 && pauseReasons == 0 && !closed) {
      socket.resume();
    }
  }

  public long connectionId() {
    return connectionId;
  }

  public String remoteHost() {
    return remoteHost;
  }
}
