package dev.tether.proxy.frontend;

import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.FrameDecoder;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.PartialFrameBudget;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * One client's TCP connection, confined to its event loop. Frames go to the current owner (the
 * handshake, then the session); reads can be paused for several independent reasons at once.
 */
public final class ClientConnection implements FrameSink {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClientConnection.class);
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
  private dev.tether.proxy.net.ByteMeter traffic = dev.tether.proxy.net.ByteMeter.NONE;
  private long lastActivityMillis = System.currentTimeMillis();
  /** When the last bytes arrived, and how long a begun frame may wait for the rest (0: no bound). */
  private long lastReadMillis = lastActivityMillis;
  private long readTimeoutMillis;
  private java.util.function.Consumer<dev.tether.proxy.node.Rejection> onInputRefused = reason -> {};
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
    socket.handler(chunk -> {
      lastReadMillis = System.currentTimeMillis();
      traffic.received(chunk.length());
      decoder.handle(chunk);
    });
    socket.exceptionHandler(dev.tether.proxy.net.SocketErrors.CLIENT.handler(remoteHost));
    socket.closeHandler(ignored -> {
      closed = true;
      decoder.release();
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

  /**
   * Bounds what this connection holds in partial frames (with the rest of the node) and how long a
   * begun frame may wait for its rest; {@code refused} is told which (to count it) when either bound ends
   * the connection.
   */
  public void inputLimits(PartialFrameBudget budget, long readTimeoutMillis, java.util.function.Consumer<dev.tether.proxy.node.Rejection> refused) {
    decoder.budget(budget);
    this.readTimeoutMillis = readTimeoutMillis;
    this.onInputRefused = refused;
  }

  /** Over the partial-frame bound: the server's answer to running out of memory, then closed. */
  @Override
  public void onOverBudget(int sequenceId) {
    if (!closed) {
      onInputRefused.accept(dev.tether.proxy.node.Rejection.PARTIAL_FRAME_BOUND);
      closeWithError(ErrPacket.of(ErrorCode.OUT_OF_RESOURCES, "Tether: out of memory for partly received packets"
          + " on this node; try again later"), (sequenceId + 1) & 0xFF);
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
    if (!closed && readTimeoutMillis > 0 && decoder.pendingBytes() > 0 && nowMillis - lastReadMillis > readTimeoutMillis) {
      onInputRefused.accept(dev.tether.proxy.node.Rejection.READ_TIMEOUT); // a frame begun and not finished: the server's net_read_timeout closes it too
      close();
      return;
    }
    if (!closed && owner != null) {
      owner.onTick(nowMillis);
    }
  }

  public long lastActivityMillis() {
    return lastActivityMillis;
  }

  public void write(Buffer bytes) {
    if (!closed) {
      traffic.sent(bytes.length());
      socket.write(bytes);
    }
  }

  /** Where this connection's bytes are counted (set by the node when it accepts the connection). */
  public void traffic(dev.tether.proxy.net.ByteMeter meter) {
    this.traffic = meter;
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

  /** Closes with a TCP reset and nothing sent: how MariaDB drops a connection idle past its wait_timeout. */
  public void abort() {
    if (!closed && socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }
    close();
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
    // the ClientHello may have come in the very chunk that held the SSLRequest: it goes to TLS
    decoder.handOffRest(early -> {
      if (early != null) {
        ctx.pipeline().fireChannelRead(Unpooled.wrappedBuffer(early.getBytes()));
      }
    });
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
