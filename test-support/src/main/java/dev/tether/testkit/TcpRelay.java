package dev.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small loopback TCP relay between a proxy node and its server, in the manner of Toxiproxy: a test
 * can sever every relayed connection (with RST or FIN), refuse new ones for a while, or hold new ones
 * unanswered until it releases them (a slow path to the server). This loses a backend connection the
 * way a network does, without a {@code KILL} (which ends a session on purpose).
 * One instance per test; plain threads, two per relayed connection, all daemon.
 */
public final class TcpRelay implements AutoCloseable {
  /**
   * How a cut ends the relayed connections: a reset (RST), as a failing network does, or an orderly
   * close (FIN), which a Tether node cannot tell from a server's KILL while the server still answers.
   */
  public enum Cut { RST, FIN }

  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile long refuseUntilNanos;
  /** Accepted connections not yet relayed, while {@link #holdNew} is on (guarded by {@code this}). */
  private final List<Socket> held = new ArrayList<>();
  private boolean holding;
  private volatile boolean closed;

  private TcpRelay(int targetPort, ServerSocket listener) {
    this.targetPort = targetPort;
    this.listener = listener;
  }

  /** Starts a relay on a free loopback port that forwards to 127.0.0.1:{@code targetPort}. */
  public static TcpRelay start(int targetPort) {
    try {
      ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
      TcpRelay relay = new TcpRelay(targetPort, listener);
      Thread acceptor = new Thread(relay::acceptLoop, "tcp-relay-accept-" + listener.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections relayed now. */
  public int open() {
    return links.size();
  }

  /** Connections accepted (and relayed) since the start. */
  public int accepted() {
    return accepted.get();
  }

  /** Ends every relayed connection, on both sides, with {@code how}. New connections are still relayed. */
  public void sever(Cut how) {
    for (Link link : List.copyOf(links)) {
      link.cut(how);
    }
  }

  /** Severs with RST, the way a dropped network path or a dead host's stack shows up. */
  public void sever() {
    sever(Cut.RST);
  }

  /** New connections are accepted and reset at once for {@code duration} (existing ones are left alone). */
  public void refuseFor(Duration duration) {
    refuseUntilNanos = System.nanoTime() + duration.toNanos();
  }

  /** Severs and refuses new connections for {@code duration}: a network outage of that length. */
  public void outage(Cut how, Duration duration) {
    refuseFor(duration);
    sever(how);
  }

  /**
   * From now on new connections are accepted but neither relayed nor refused until {@link #release}:
   * the peer's connect succeeds and then waits for the server's first byte. Off until a test calls it.
   */
  public synchronized void holdNew() {
    holding = true;
  }

  /** Connections held now (accepted, not yet relayed). */
  public synchronized int held() {
    return held.size();
  }

  /** Relays the held connections, and new ones again at once. */
  public void release() {
    List<Socket> waiting;
    synchronized (this) {
      holding = false;
      waiting = List.copyOf(held);
      held.clear();
    }
    waiting.forEach(this::relay);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (System.nanoTime() < refuseUntilNanos) {
        reset(client);
        continue;
      }
      synchronized (this) {
        if (holding) {
          held.add(client);
          continue;
        }
      }
      relay(client);
    }
  }

  private void relay(Socket client) {
    try {
      Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      Link link = new Link(client, server);
      links.add(link);
      accepted.incrementAndGet();
      link.start();
    } catch (IOException e) {
      reset(client); // the server refused: so does the relay
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sever(Cut.FIN);
    synchronized (this) {
      held.forEach(TcpRelay::reset);
      held.clear();
    }
  }

  /** One relayed connection: two pumps, one per direction. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final AtomicInteger pumpsLeft = new AtomicInteger(2);
    private volatile boolean cut;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      pump(client, server, "c2s");
      pump(server, client, "s2c");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[64 * 1024];
        // the streams are not closed here: closing one closes its socket with a FIN before a reset
        // could be passed on, and the peer would take a server's reset for a KILL
        try {
          InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream();
          int n;
          while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            out.flush();
          }
          if (!cut) {
            to.shutdownOutput(); // pass the peer's FIN on
          }
        } catch (SocketException e) {
          if (!cut) {
            reset(to); // pass a reset on
          }
        } catch (IOException e) {
          reset(to);
        } finally {
          if (pumpsLeft.decrementAndGet() == 0) {
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
          }
        }
      }, "tcp-relay-" + direction + "-" + from.getPort());
      t.setDaemon(true);
      t.start();
    }

    void cut(Cut how) {
      cut = true;
      if (how == Cut.RST) {
        reset(client);
        reset(server);
      } else {
        closeQuietly(client);
        closeQuietly(server);
      }
      links.remove(this);
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
