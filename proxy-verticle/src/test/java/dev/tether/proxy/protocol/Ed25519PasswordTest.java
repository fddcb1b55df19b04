package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** MariaDB's ed25519 password plugin: keys as the real server derives them, signatures as RFC 8032 makes them. */
class Ed25519PasswordTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String stored(String password) {
    return Base64.getEncoder().withoutPadding().encodeToString(Ed25519Password.publicKey(password));
  }

  @Test
  void publicKeysAreWhatMariaDbStoresForThePassword() {
    // PASSWORD('edpass') for an ed25519 account on MariaDB 10.11, and MariaDB's own test for ''
    assertEquals("Piz5vwRwNNpHTXZ/zwiknmaAvByZxbBw6LPfPjTrsBs", stored("edpass"));
    assertEquals("4LH+dBF+G5W2CKTyId8xR3SyDqZoQjUNUVNxx8aWbG4", stored(""));
  }

  @Test
  void aThirtyTwoByteSeedAsPasswordSignsAsRfc8032() {
    // RFC 8032, 7.1, TEST 1 and TEST 2: a 32-byte "password" is hashed exactly as a seed is
    assertArrayEquals(HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        Ed25519Password.sign(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"), new byte[0]));
    assertArrayEquals(HEX.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        Ed25519Password.sign(HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"), HEX.parseHex("72")));
  }

  @Test
  void signaturesVerifyForTheRightPasswordOnly() {
    byte[] nonce = Ed25519Password.newNonce();
    byte[] signature = Ed25519Password.sign("s3cret ünïcode", nonce);
    assertEquals(Ed25519Password.SIGNATURE_LENGTH, signature.length);
    assertTrue(Ed25519Password.verify("s3cret ünïcode", nonce, signature));
    assertFalse(Ed25519Password.verify("s3cret", nonce, signature));
    assertFalse(Ed25519Password.verify("s3cret ünïcode", Ed25519Password.newNonce(), signature));
    assertFalse(Ed25519Password.verify("s3cret ünïcode", nonce, new byte[10]));
    assertTrue(Ed25519Password.verify("", nonce, Ed25519Password.sign("", nonce)));
  }
}
