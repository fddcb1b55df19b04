package dev.tether.proxy;

import dev.tether.config.ServerCertificate;
import dev.tether.config.TlsConfig;
import dev.tether.proxy.protocol.RsaKeys;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import javax.net.ssl.SSLException;

/** Key material of a node: the frontend TLS certificate and the RSA pair for caching_sha2 key exchange. */
final class TlsMaterial {
  private TlsMaterial() {}

  /** The frontend TLS context from the configured PEM files, or a self-signed certificate made now. */
  static SslContext serverContext(TlsConfig tls) {
    if (!tls.enabled()) {
      return null;
    }
    ServerCertificate certificate = ServerCertificate.of(tls);
    try {
      return SslContextBuilder.forServer(new File(certificate.certPath()), new File(certificate.keyPath())).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot load TLS certificate " + certificate.certPath() + ": " + e.getMessage(), e);
    }
  }

  /** The configured PKCS#8 RSA private key with its public half, or a fresh pair. */
  static KeyPair rsaKeys(TlsConfig tls) {
    if (tls.rsaPrivateKeyPath() == null) {
      return RsaKeys.generate();
    }
    try {
      String pem = Files.readString(Path.of(tls.rsaPrivateKeyPath()));
      byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      KeyFactory factory = KeyFactory.getInstance("RSA");
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
      RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
      PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
      return new KeyPair(publicKey, privateKey);
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalStateException("cannot read RSA private key " + tls.rsaPrivateKeyPath() + ": " + e.getMessage(), e);
    }
  }
}
