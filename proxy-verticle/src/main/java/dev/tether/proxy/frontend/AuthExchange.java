package dev.tether.proxy.frontend;

import dev.tether.config.AuthPlugin;
import dev.tether.config.UserAccount;
import dev.tether.proxy.node.NodeServices;
import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.AuthSwitchRequest;
import dev.tether.proxy.protocol.Ed25519Password;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.PayloadWriter;
import dev.tether.proxy.protocol.RsaKeys;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Verifies a client's password proof, server side, for the initial login and COM_CHANGE_USER alike:
 * switches the client to the user's plugin when it guessed another (MariaDB's ed25519 included), and
 * runs caching_sha2_password's fast path (cached user) or full path (clear password over TLS, or
 * RSA-encrypted otherwise).
 *
 * <p>The exchange follows sequence ids; the caller sends its final OK or ERR with {@link #nextSequence()}.
 */
public final class AuthExchange {
  public enum Outcome {
    /** The proof holds; the caller sends the final OK. */
    ACCEPTED,
    /** The proof does not hold; the caller sends {@link #denial()}. */
    DENIED,
    /** A reply was sent and the client's next packet goes to {@link #onClientPacket}. */
    CONTINUE
  }

  private enum Step {
    /** Waiting for the proof after an auth-switch request. */
    SWITCHED,
    /** caching_sha2_password asked for full authentication: clear password or public-key request. */
    SHA2_FULL,
    /** The client asked for the public key and will send the encrypted password. */
    SHA2_ENCRYPTED
  }

  private final NodeServices services;
  private final ClientConnection client;
  /** How many characters of a user name the server keeps (USERNAME_CHAR_LENGTH), in its errors too. */
  private static final int USERNAME_CHAR_LENGTH = 128;

  private final String username;
  /**
   * The user's account, or for an unknown user a stand-in with an unguessable password (both run the
   * same steps); for one known by its hash, replaced by one carrying the stage its proof revealed.
   */
  private UserAccount account;
  private final boolean known;
  private byte[] challenge;
  private Step step;
  private int sequence;
  private boolean usedPassword;

  public AuthExchange(NodeServices services, ClientConnection client, String username, byte[] challenge) {
    this.services = services;
    this.client = client;
    this.username = username;
    UserAccount found = services.users().find(username, client.remoteHost(), client.isTls()).orElse(null);
    this.known = found != null;
    this.account = known ? found : standIn(username, services.config().proxy().authPlugin());
    this.challenge = challenge;
  }

  /**
   * An unknown user gets the same exchange as a known one with the node's default plugin (auth
   * switch, full-auth request) and is denied at its end, as the server does: no answer tells them apart.
   */
  private static UserAccount standIn(String username, AuthPlugin plugin) {
    return new UserAccount(username, java.util.HexFormat.of().formatHex(AuthScramble.newChallenge())
        + java.util.HexFormat.of().formatHex(AuthScramble.newChallenge()), plugin);
  }

  /** The authenticated account; only meaningful after {@link Outcome#ACCEPTED}. */
  public UserAccount account() {
    return known ? account : null;
  }

  public int nextSequence() {
    return (sequence + 1) & 0xFF;
  }

  public ErrPacket denial() {
    return ErrPacket.of(ErrorCode.ACCESS_DENIED, "Access denied for user '" + truncated(username) + "'@'"
        + client.remoteHost() + "' (using password: " + (usedPassword ? "YES" : "NO") + ")");
  }

  /** The client's first proof, made with {@code clientPlugin} (null means mysql_native_password). */
  public Outcome begin(String clientPlugin, byte[] proof, int sequenceId) {
    sequence = sequenceId;
    usedPassword = proof.length > 0;
    AuthPlugin used = clientPlugin == null ? AuthPlugin.MYSQL_NATIVE_PASSWORD : AuthPlugin.fromWireName(clientPlugin);
    // A proof of the wrong length cannot verify (some clients send anything in COM_CHANGE_USER and
    // expect the server to switch), so the client is asked again with a fresh challenge.
    boolean malformed = proof.length != 0 && proof.length != proofLength(account.authPlugin());
    // ed25519 signs a 32-byte nonce, never the greeting's 20-byte scramble: always asked for anew
    if (used != account.authPlugin() || malformed || used == AuthPlugin.ED25519) {
      challenge = freshChallenge(account.authPlugin());
      step = Step.SWITCHED;
      send(new AuthSwitchRequest(account.authPlugin().wireName(), challenge).encode(nextSequence()));
      return Outcome.CONTINUE;
    }
    return verify(proof);
  }

  /**
   * COM_CHANGE_USER as MariaDB runs it: a proof made on the connection's first challenge is never
   * taken (it could be a replay); the client is asked for one on a fresh challenge, whatever it sent.
   * An unknown user is asked too, with the default plugin, and then denied.
   */
  public Outcome beginWithFreshChallenge(byte[] proof, int sequenceId) {
    sequence = sequenceId;
    usedPassword = proof.length > 0;
    AuthPlugin plugin = account == null ? AuthPlugin.MYSQL_NATIVE_PASSWORD : account.authPlugin();
    challenge = freshChallenge(plugin);
    step = Step.SWITCHED;
    send(new AuthSwitchRequest(plugin.wireName(), challenge).encode(nextSequence()));
    return Outcome.CONTINUE;
  }

  public Outcome onClientPacket(Buffer payload, int sequenceId) {
    sequence = sequenceId;
    usedPassword |= payload.length() > 0;
    return switch (step) {
      case SWITCHED -> account == null ? Outcome.DENIED : verify(payload.getBytes());
      case SHA2_FULL -> {
        if (payload.length() == 1 && payload.getUnsignedByte(0) == 0x02) {
          step = Step.SHA2_ENCRYPTED;
          String pem = RsaKeys.toPem(services.rsaKeys().getPublic());
          send(new PayloadWriter(pem.length() + 1).int1(0x01).stringEof(pem).toPacket(nextSequence()));
          yield Outcome.CONTINUE;
        }
        if (!client.isTls()) {
          yield Outcome.DENIED; // a clear password is only accepted over TLS
        }
        yield fullAuth(stripNul(payload.getBytes()));
      }
      case SHA2_ENCRYPTED -> {
        byte[] clear = RsaKeys.decrypt(payload.getBytes(), services.rsaKeys().getPrivate());
        for (int i = 0; i < clear.length; i++) {
          clear[i] ^= challenge[i % challenge.length];
        }
        yield fullAuth(stripNul(clear));
      }
    };
  }

  private static int proofLength(AuthPlugin plugin) {
    return switch (plugin) {
      case MYSQL_NATIVE_PASSWORD -> 20;
      case CACHING_SHA2_PASSWORD -> 32;
      case ED25519 -> Ed25519Password.SIGNATURE_LENGTH;
    };
  }

  private static byte[] freshChallenge(AuthPlugin plugin) {
    return plugin == AuthPlugin.ED25519 ? Ed25519Password.newNonce() : AuthScramble.newChallenge();
  }

  private Outcome verify(byte[] proof) {
    if (!known) {
      return Outcome.DENIED; // the stand-in's exchange ends here, as a wrong password's does
    }
    if (account.knownByHash()) {
      return verifyByHash(proof);
    }
    String password = account.password();
    return switch (account.authPlugin()) {
      case MYSQL_NATIVE_PASSWORD ->
          AuthScramble.matches(AuthScramble.nativePassword(password, challenge), proof) ? Outcome.ACCEPTED : Outcome.DENIED;
      case ED25519 -> Ed25519Password.verify(password, challenge, proof) ? Outcome.ACCEPTED : Outcome.DENIED;
      case CACHING_SHA2_PASSWORD -> {
        if (password.isEmpty() && proof.length == 0) {
          yield Outcome.ACCEPTED;
        }
        boolean fast = services.sha2Cache().contains(account.name())
            && AuthScramble.matches(AuthScramble.cachingSha2(password, challenge), proof);
        if (fast) {
          send(new PayloadWriter(2).int1(0x01).int1(0x03).toPacket(nextSequence()));
          yield Outcome.ACCEPTED;
        }
        step = Step.SHA2_FULL;
        send(new PayloadWriter(2).int1(0x01).int1(0x04).toPacket(nextSequence()));
        yield Outcome.CONTINUE;
      }
    };
  }

  /** An account read from the database: the proof is checked against its stored hash, and teaches SHA1(password). */
  private Outcome verifyByHash(byte[] proof) {
    byte[] stage1 = AuthScramble.nativeStage1(account.nativeHash(), challenge, proof);
    if (stage1 == null) {
      return Outcome.DENIED;
    }
    account = account.withNativeStage1(stage1);
    return Outcome.ACCEPTED;
  }

  private Outcome fullAuth(byte[] clearPassword) {
    boolean ok = known && AuthScramble.matches(account.password().getBytes(StandardCharsets.UTF_8), clearPassword);
    if (ok) {
      services.sha2Cache().add(account.name());
    }
    return ok ? Outcome.ACCEPTED : Outcome.DENIED;
  }

  private static String truncated(String name) {
    return name.codePointCount(0, name.length()) <= USERNAME_CHAR_LENGTH
        ? name : name.substring(0, name.offsetByCodePoints(0, USERNAME_CHAR_LENGTH));
  }

  private void send(Buffer packet) {
    sequence = nextSequence();
    client.write(packet);
  }

  private static byte[] stripNul(byte[] bytes) {
    return bytes.length > 0 && bytes[bytes.length - 1] == 0 ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
  }
}
