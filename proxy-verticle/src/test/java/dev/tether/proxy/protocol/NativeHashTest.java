package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** mysql_native_password from the stored hash alone: verify a client, learn SHA1(password), log into a backend. */
class NativeHashTest {
  /** The server's PASSWORD('secret'), as mysql.global_priv stores it. */
  private static final String SECRET_HASH = "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7";

  @Test
  void theStoredHashIsSha1OfSha1() throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    byte[] stage2 = sha1.digest(sha1.digest("secret".getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(stage2, AuthScramble.parseNativeHash(SECRET_HASH));
    assertNull(AuthScramble.parseNativeHash("*14E65567ABDB5135D0CFD9A70B3032C179A49EE"), "too short");
    assertNull(AuthScramble.parseNativeHash("x14E65567ABDB5135D0CFD9A70B3032C179A49EE7"), "no star");
    assertNull(AuthScramble.parseNativeHash("*ZZE65567ABDB5135D0CFD9A70B3032C179A49EE7"), "not hex");
    assertNull(AuthScramble.parseNativeHash(""), "no password: not an account the proxy takes");
  }

  @Test
  void aRightProofRevealsTheFirstStageAndAWrongOneNothing() throws Exception {
    byte[] stored = AuthScramble.parseNativeHash(SECRET_HASH);
    byte[] challenge = AuthScramble.newChallenge();
    byte[] stage1 = MessageDigest.getInstance("SHA-1").digest("secret".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(stage1, AuthScramble.nativeStage1(stored, challenge, AuthScramble.nativePassword("secret", challenge)));
    assertNull(AuthScramble.nativeStage1(stored, challenge, AuthScramble.nativePassword("Secret", challenge)));
    assertNull(AuthScramble.nativeStage1(stored, challenge, new byte[0]), "an empty proof");
    assertNull(AuthScramble.nativeStage1(stored, AuthScramble.newChallenge(),
        AuthScramble.nativePassword("secret", challenge)), "a proof made for another challenge");
  }

  @Test
  void theFirstStageAloneMakesTheSameBackendProofAsThePassword() throws Exception {
    byte[] stage1 = MessageDigest.getInstance("SHA-1").digest("secret".getBytes(StandardCharsets.UTF_8));
    byte[] challenge = HexFormat.of().parseHex("3a2b3c4d5e6f70717273747576777879303132ab");
    assertArrayEquals(AuthScramble.nativePassword("secret", challenge), AuthScramble.nativePasswordFromStage1(stage1, challenge));
  }
}
