package dev.tether.proxy.backend;

import dev.tether.config.AuthPlugin;
import dev.tether.config.BackendConfig;
import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.AuthSwitchRequest;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.Ed25519Password;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.HandshakeResponse41;
import dev.tether.proxy.protocol.HandshakeV10;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.PayloadWriter;
import dev.tether.proxy.protocol.RsaKeys;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Opens a backend connection and logs a user in, speaking whichever password plugin the server asks
 * for (mysql_native_password; caching_sha2_password fast path, and full path by RSA key exchange;
 * MariaDB's client_ed25519; auth-switch). The whole login is bounded by the configured connect timeout. Each connection
 * goes to the current {@link BackendTarget}, which a switchover replaces. Every logged-in
 * connection is counted in {@code open} until its socket closes, whoever owns it by then.
 */
public final class BackendConnector {
  private final Vertx vertx;
  private final NetClient client;
  private final BackendConfig config;
  private final Supplier<BackendTarget> target;
  private final Consumer<BackendIdentity> identityListener;
  private final AtomicInteger open;
  private dev.tether.proxy.net.ByteMeter traffic = dev.tether.proxy.net.ByteMeter.NONE;

  /** Connects to whatever {@code target} names at the moment of each connection. */
  public BackendConnector(Vertx vertx, NetClient client, BackendConfig config, Supplier<BackendTarget> target,
                          Consumer<BackendIdentity> identityListener, AtomicInteger open) {
    this.vertx = vertx;
    this.open = open;
    this.client = client;
    this.config = config;
    this.target = target;
    this.identityListener = identityListener;
  }

  public BackendTarget target() {
    return target.get();
  }

  /** Where the bytes of the connections made from now on are counted. */
  public BackendConnector traffic(dev.tether.proxy.net.ByteMeter meter) {
    this.traffic = meter;
    return this;
  }

  public BackendConfig config() {
    return config;
  }

  /**
   * Reads the backend's greeting and hangs up: how a node learns the identity to present before any
   * session has logged in.
   */
  public Future<BackendIdentity> probe() {
    BackendTarget to = target.get();
    String address = to.address();
    return client.connect(to.port(), to.host()).compose(socket -> {
      Promise<BackendIdentity> seen = Promise.promise();
      socket.handler(new dev.tether.proxy.protocol.FrameDecoder((sequenceId, payload, frame) -> {
        try {
          seen.tryComplete(BackendIdentity.of(HandshakeV10.decode(payload)));
        } catch (RuntimeException e) {
          seen.tryFail(e);
        }
        socket.close();
      }));
      socket.closeHandler(closed -> seen.tryFail("backend " + address + " closed before its greeting"));
      long timer = vertx.setTimer(config.connectTimeout().toMillis(), id -> {
        seen.tryFail("backend " + address + " sent no greeting");
        socket.close();
      });
      return seen.future().andThen(done -> vertx.cancelTimer(timer));
    }).onSuccess(identityListener::accept)
        .recover(failure -> Future.failedFuture(ErrorCode.BACKEND_UNAVAILABLE.exception(
            "Tether: cannot reach backend " + address + ": " + failure.getMessage())));
  }

  /** Connects to the current target and logs in; must be called on the session's event loop. */
  public Future<BackendConnection> connect(LoginRequest request) {
    return connect(request, target.get());
  }

  /** Connects to {@code to} and logs in; must be called on the session's event loop. */
  public Future<BackendConnection> connect(LoginRequest request, BackendTarget to) {
    String address = to.address();
    return client.connect(to.port(), to.host())
        .recover(failure -> Future.failedFuture(ErrorCode.BACKEND_UNAVAILABLE.exception(
            "Tether: cannot reach backend " + address + ": " + failure.getMessage())))
        .compose(socket -> {
          Login login = new Login(request);
          BackendConnection connection = new BackendConnection(socket, to, login, traffic);
          login.connection = connection;
          long timer = vertx.setTimer(config.connectTimeout().toMillis(), id -> login.fail(
              ErrorCode.BACKEND_UNAVAILABLE.exception("Tether: backend " + address + " did not complete login within "
                  + config.connectTimeout().toMillis() + " ms")));
          connection.closeHandler(closed -> login.fail(ErrorCode.BACKEND_UNAVAILABLE.exception(
              "Tether: backend " + address + " closed the connection during login")));
          return login.promise.future().andThen(done -> vertx.cancelTimer(timer));
        });
  }

  /** The client half of one login, driven by the backend's frames. */
  private final class Login implements FrameSink {
    private final LoginRequest request;
    private final Promise<BackendConnection> promise = Promise.promise();
    private BackendConnection connection;
    private HandshakeV10 greeting;
    private long capabilities;
    private AuthPlugin plugin;
    private byte[] challenge;
    private boolean awaitingPublicKey;

    Login(LoginRequest request) {
      this.request = request;
    }

    @Override
    public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
      if (promise.future().isComplete()) {
        return;
      }
      try {
        if (greeting == null) {
          onGreeting(payload);
        } else {
          onAuthReply(sequenceId, payload);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void onGreeting(Buffer payload) {
      greeting = HandshakeV10.decode(payload);
      identityListener.accept(BackendIdentity.of(greeting));
      long server = greeting.capabilities();
      capabilities = (Capabilities.BACKEND_REQUIRED
          | (request.clientCapabilities() & Capabilities.BACKEND_FROM_CLIENT)
          | (request.database() != null ? Capabilities.CLIENT_CONNECT_WITH_DB : 0)) & server;
      challenge = greeting.scramble();
      plugin = AuthPlugin.fromWireName(greeting.authPluginName());
      if (plugin == null) {
        plugin = AuthPlugin.MYSQL_NATIVE_PASSWORD;
      }
      HandshakeResponse41 response = new HandshakeResponse41(capabilities, request.maxPacketSize(),
          request.collation(), request.account().name(), proof(), request.database(), plugin.wireName(),
          request.connectAttributes());
      connection.write(response.encode(1));
    }

    private void onAuthReply(int sequenceId, Buffer payload) {
      int first = payload.length() == 0 ? -1 : payload.getUnsignedByte(0);
      switch (first) {
        case Packets.OK -> succeed(OkPacket.statusFlags(payload));
        case Packets.ERR -> fail(ErrPacket.decode(payload).toException());
        case Packets.AUTH_SWITCH -> {
          AuthSwitchRequest sw = AuthSwitchRequest.decode(payload);
          plugin = AuthPlugin.fromWireName(sw.pluginName());
          if (plugin == null) {
            throw ErrorCode.NOT_SUPPORTED_AUTH_MODE.exception("Tether cannot log into the backend with plugin '"
                + sw.pluginName() + "'");
          }
          challenge = sw.pluginData();
          connection.write(new PayloadWriter(32).bytes(proof()).toPacket(sequenceId + 1));
        }
        case Packets.AUTH_MORE_DATA -> onMoreData(sequenceId, payload);
        default -> throw ErrorCode.HANDSHAKE_ERROR.exception("Tether: unexpected packet 0x"
            + Integer.toHexString(first) + " from backend during login");
      }
    }

    /** caching_sha2_password: 0x03 fast-auth success, 0x04 full auth wanted, or the RSA public key. */
    private void onMoreData(int sequenceId, Buffer payload) {
      if (awaitingPublicKey) {
        awaitingPublicKey = false;
        String pem = payload.getString(1, payload.length());
        byte[] encrypted = AuthScramble.rsaEncrypt(
            AuthScramble.xorWithChallenge(request.account().password(), challenge), RsaKeys.publicKeyFromPem(pem));
        connection.write(new PayloadWriter(encrypted.length).bytes(encrypted).toPacket(sequenceId + 1));
        return;
      }
      int status = payload.length() > 1 ? payload.getUnsignedByte(1) : -1;
      if (status == 0x03) {
        return; // fast auth succeeded; the OK follows
      }
      if (status == 0x04) {
        awaitingPublicKey = true;
        connection.write(new PayloadWriter(1).int1(0x02).toPacket(sequenceId + 1));
        return;
      }
      throw ErrorCode.HANDSHAKE_ERROR.exception("Tether: unexpected auth-more-data from backend");
    }

    private byte[] proof() {
      if (request.account().knownByHash()) {
        return AccountByHashLogin.proof(request.account(), plugin, challenge);
      }
      String password = request.account().password();
      return switch (plugin) {
        case MYSQL_NATIVE_PASSWORD -> AuthScramble.nativePassword(password, challenge);
        case CACHING_SHA2_PASSWORD -> AuthScramble.cachingSha2(password, challenge);
        case ED25519 -> Ed25519Password.sign(password, challenge);
      };
    }

    private void succeed(int statusFlags) {
      connection.loggedIn(BackendIdentity.of(greeting), greeting.connectionId(), capabilities, statusFlags);
      connection.closeHandler(null);
      if (promise.tryComplete(connection)) {
        open.incrementAndGet();
        connection.closeListener(open::decrementAndGet);
      }
    }

    void fail(Throwable failure) {
      if (promise.tryFail(failure) && connection != null) {
        connection.close();
      }
    }
  }
}
