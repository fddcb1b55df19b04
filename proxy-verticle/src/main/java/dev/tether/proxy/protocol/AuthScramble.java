package dev.tether.proxy.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import javax.crypto.Cipher;

/**
 * The password proofs of mysql_native_password and caching_sha2_password. The proxy computes them on
 * both sides: to check a client (it knows the password, so it computes the expected proof and
 * compares) and to log into a backend.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html">Native authentication</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html">caching_sha2 exchanges</a>
 */
public final class AuthScramble {
  private AuthScramble() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh 20-byte challenge of printable bytes (never NUL, which terminates it on the wire). */
  public static byte[] newChallenge() {
    byte[] challenge = new byte[Packets.SCRAMBLE_LENGTH];
    for (int i = 0; i < challenge.length; i++) {
      challenge[i] = (byte) (0x21 + RANDOM.nextInt(0x7E - 0x21));
    }
    return challenge;
  }

  /** SHA1(password) XOR SHA1(challenge + SHA1(SHA1(password))); empty for an empty password. */
  public static byte[] nativePassword(String password, byte[] challenge) {
    if (password.isEmpty()) {
      return new byte[0];
    }
    MessageDigest sha1 = digest("SHA-1");
    byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
    byte[] stage2 = sha1.digest(stage1);
    sha1.update(challenge, 0, Packets.SCRAMBLE_LENGTH);
    sha1.update(stage2);
    return xor(stage1, sha1.digest());
  }

  /** A native proof made from the first stage SHA1(password) alone: SHA1(password) XOR SHA1(challenge + SHA1(stage1)). */
  public static byte[] nativePasswordFromStage1(byte[] stage1, byte[] challenge) {
    MessageDigest sha1 = digest("SHA-1");
    byte[] stage2 = sha1.digest(stage1);
    sha1.update(challenge, 0, Packets.SCRAMBLE_LENGTH);
    sha1.update(stage2);
    return xor(stage1, sha1.digest());
  }

  /**
   * Verifies a native proof against the stored hash SHA1(SHA1(password)), as the server does:
   * proof XOR SHA1(challenge + stored) gives the candidate SHA1(password), whose SHA1 must be the
   * stored hash. Returns that first stage when the proof holds, else null.
   */
  public static byte[] nativeStage1(byte[] storedHash, byte[] challenge, byte[] proof) {
    if (proof.length != 20 || storedHash.length != 20) {
      return null;
    }
    MessageDigest sha1 = digest("SHA-1");
    sha1.update(challenge, 0, Packets.SCRAMBLE_LENGTH);
    sha1.update(storedHash);
    byte[] candidate = xor(proof, sha1.digest());
    return MessageDigest.isEqual(sha1.digest(candidate), storedHash) ? candidate : null;
  }

  /** The 20 bytes of a mysql_native_password authentication string ({@code *} and 40 hex digits), or null. */
  public static byte[] parseNativeHash(String authenticationString) {
    if (authenticationString == null || authenticationString.length() != 41 || authenticationString.charAt(0) != '*') {
      return null;
    }
    try {
      return java.util.HexFormat.of().parseHex(authenticationString, 1, 41);
    } catch (IllegalArgumentException notHex) {
      return null;
    }
  }

  /** SHA256(password) XOR SHA256(SHA256(SHA256(password)) + challenge); empty for an empty password. */
  public static byte[] cachingSha2(String password, byte[] challenge) {
    if (password.isEmpty()) {
      return new byte[0];
    }
    MessageDigest sha256 = digest("SHA-256");
    byte[] stage1 = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
    byte[] stage2 = sha256.digest(stage1);
    sha256.update(stage2);
    sha256.update(challenge, 0, Packets.SCRAMBLE_LENGTH);
    return xor(stage1, sha256.digest());
  }

  /** The NUL-terminated password XOR-ed with the challenge, as caching_sha2 RSA exchange wants it. */
  public static byte[] xorWithChallenge(String password, byte[] challenge) {
    byte[] clear = (password + '\0').getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < clear.length; i++) {
      clear[i] ^= challenge[i % Packets.SCRAMBLE_LENGTH];
    }
    return clear;
  }

  public static byte[] rsaEncrypt(byte[] data, PublicKey key) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
      cipher.init(Cipher.ENCRYPT_MODE, key);
      return cipher.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA encryption failed", e);
    }
  }

  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " missing from the JDK", e);
    }
  }
}
