package dev.tether.config;

import io.vertx.core.net.SelfSignedCertificate;

/** The PEM pair a TLS listener serves: the configured files, or a self-signed "localhost" pair made now. */
public record ServerCertificate(String certPath, String keyPath) {

  /** The configured certificate of {@code tls}, or, when none is configured, a freshly generated one. */
  public static ServerCertificate of(TlsConfig tls) {
    if (tls.hasCertificate()) {
      return new ServerCertificate(tls.certPath(), tls.keyPath());
    }
    SelfSignedCertificate generated = SelfSignedCertificate.create("localhost");
    return new ServerCertificate(generated.certificatePath(), generated.privateKeyPath());
  }
}
