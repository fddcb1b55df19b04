package dev.tether.proxy.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MariaDB's {@code ed25519} password plugin (client side {@code client_ed25519}): the client signs the
 * server's 32-byte nonce with Ed25519 (RFC 8032), but its secret scalar and nonce prefix come from
 * SHA-512 of the whole password instead of a 32-byte seed; the server stores the public key (base64,
 * no padding). The JDK's Ed25519 verifies such signatures (they are ordinary ones) but cannot make
 * them, since it only takes seeds, so signing does the curve arithmetic here.
 *
 * <p>The arithmetic uses BigInteger and is not constant-time. The proxy holds the passwords in
 * memory anyway; the timing reveals nothing an attacker on the loopback could not read there.
 *
 * @see <a href="https://mariadb.com/kb/en/authentication-plugin-ed25519/">Authentication Plugin - ed25519</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8032#section-5.1">RFC 8032, Ed25519</a>
 */
public final class Ed25519Password {
  /** The client plugin's name, as auth-switch requests carry it. */
  public static final String PLUGIN = "client_ed25519";
  public static final int NONCE_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  private static final BigInteger L = BigInteger.TWO.pow(252)
      .add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger D = BigInteger.valueOf(-121665)
      .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger D2 = D.shiftLeft(1).mod(P);
  /** The base point B times 2^i, for fixed-base multiplication by additions only. */
  private static final Point[] BASE_POWERS = basePowers();
  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, before the 32 key bytes. */
  private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Public keys by password: deriving one costs a scalar multiplication, and accounts are few. */
  private static final Map<String, byte[]> PUBLIC_KEYS = new ConcurrentHashMap<>();

  private Ed25519Password() {}

  /** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
  private record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {
    static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);

    Point add(Point q) {
      BigInteger a = y.subtract(x).multiply(q.y.subtract(q.x)).mod(P);
      BigInteger b = y.add(x).multiply(q.y.add(q.x)).mod(P);
      BigInteger c = t.multiply(D2).multiply(q.t).mod(P);
      BigInteger d = z.shiftLeft(1).multiply(q.z).mod(P);
      BigInteger e = b.subtract(a);
      BigInteger f = d.subtract(c);
      BigInteger g = d.add(c);
      BigInteger h = b.add(a);
      return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
    }

    /** Little-endian y with the parity of x in the top bit. */
    byte[] encode() {
      BigInteger zInverse = z.modInverse(P);
      BigInteger affineX = x.multiply(zInverse).mod(P);
      BigInteger affineY = y.multiply(zInverse).mod(P);
      byte[] out = littleEndian(affineY);
      if (affineX.testBit(0)) {
        out[31] |= (byte) 0x80;
      }
      return out;
    }
  }

  /** A fresh nonce for a client to sign. */
  public static byte[] newNonce() {
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** The public key MariaDB stores for {@code password} (what {@code PASSWORD()} returns, base64-decoded). */
  public static byte[] publicKey(String password) {
    return PUBLIC_KEYS.computeIfAbsent(password, p -> {
      if (PUBLIC_KEYS.size() > 1024) {
        PUBLIC_KEYS.clear(); // bounded: more distinct passwords than accounts means churn, not reuse
      }
      return baseTimes(secretScalar(sha512(p.getBytes(StandardCharsets.UTF_8)))).encode();
    }).clone();
  }

  /** The 64-byte signature of {@code nonce} that client_ed25519 sends for {@code password}. */
  public static byte[] sign(String password, byte[] nonce) {
    return sign(password.getBytes(StandardCharsets.UTF_8), publicKey(password), nonce);
  }

  /** The same for a password given as bytes (the RFC 8032 vectors: a 32-byte seed is such a password). */
  static byte[] sign(byte[] password, byte[] nonce) {
    return sign(password, baseTimes(secretScalar(sha512(password))).encode(), nonce);
  }

  private static byte[] sign(byte[] password, byte[] publicKey, byte[] nonce) {
    byte[] digest = sha512(password);
    BigInteger secret = secretScalar(digest);
    BigInteger r = scalar(sha512(java.util.Arrays.copyOfRange(digest, 32, 64), nonce));
    byte[] encodedR = baseTimes(r).encode();
    BigInteger k = scalar(sha512(encodedR, publicKey, nonce));
    BigInteger s = r.add(k.multiply(secret)).mod(L);
    byte[] signature = new byte[SIGNATURE_LENGTH];
    System.arraycopy(encodedR, 0, signature, 0, 32);
    System.arraycopy(littleEndian(s), 0, signature, 32, 32);
    return signature;
  }

  /**
   * Whether {@code signature} signs {@code nonce} for {@code password}. Ed25519 signing is
   * deterministic and the proxy knows the password, so the signature every RFC 8032 client makes is
   * recomputed and compared first (a third of the cost of a verification); any other valid
   * signature is still accepted, by the JDK's verification.
   */
  public static boolean verify(String password, byte[] nonce, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    if (MessageDigest.isEqual(sign(password, nonce), signature)) {
      return true;
    }
    try {
      byte[] encoded = new byte[X509_PREFIX.length + 32];
      System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
      System.arraycopy(publicKey(password), 0, encoded, X509_PREFIX.length, 32);
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(nonce);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature does not verify
    }
  }

  /** The clamped secret scalar from the first half of SHA-512(password). */
  private static BigInteger secretScalar(byte[] digest) {
    byte[] half = java.util.Arrays.copyOf(digest, 32);
    half[0] &= (byte) 248;
    half[31] &= 127;
    half[31] |= 64;
    return fromLittleEndian(half);
  }

  private static BigInteger scalar(byte[] digest) {
    return fromLittleEndian(digest).mod(L);
  }

  private static Point baseTimes(BigInteger k) {
    Point sum = Point.IDENTITY;
    for (int i = 0; i < BASE_POWERS.length; i++) {
      if (k.testBit(i)) {
        sum = sum.add(BASE_POWERS[i]);
      }
    }
    return sum;
  }

  private static Point[] basePowers() {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    BigInteger x = recoverX(y);
    Point power = new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
    Point[] powers = new Point[256];
    for (int i = 0; i < powers.length; i++) {
      powers[i] = power;
      power = power.add(power);
    }
    return powers;
  }

  /** The even x of the curve point with this y (RFC 8032, 5.1.3). */
  private static BigInteger recoverX(BigInteger y) {
    BigInteger y2 = y.multiply(y);
    BigInteger x2 = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
    }
    return x.testBit(0) ? P.subtract(x) : x;
  }

  private static byte[] sha512(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }

  private static BigInteger fromLittleEndian(byte[] bytes) {
    byte[] bigEndian = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      bigEndian[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, bigEndian);
  }

  private static byte[] littleEndian(BigInteger value) {
    byte[] bigEndian = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }
}
