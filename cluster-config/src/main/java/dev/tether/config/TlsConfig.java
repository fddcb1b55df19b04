package dev.tether.config;

/**
 * Frontend TLS. With no certificate configured the proxy generates a self-signed one at start; with
 * no RSA key configured it generates one for caching_sha2_password key exchange.
 */
public record TlsConfig(boolean enabled, String certPath, String keyPath, String rsaPrivateKeyPath) {
  public boolean hasCertificate() {
    return certPath != null && keyPath != null;
  }
}
