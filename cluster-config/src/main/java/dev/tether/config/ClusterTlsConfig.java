package dev.tether.config;

/**
 * TLS on the clustered event bus, mutual: every member presents {@code certPath}/{@code keyPath}
 * and accepts only peers whose certificate {@code trustPath} (default: the member's own
 * certificate) vouches for, so all members must share one certificate or one authority. It does
 * not cover Hazelcast's own member protocol, which the open-source edition cannot encrypt.
 */
public record ClusterTlsConfig(boolean enabled, String certPath, String keyPath, String trustPath) {
  public ClusterTlsConfig {
    if (enabled && (certPath == null || keyPath == null)) {
      throw new ConfigException("cluster.tls." + (certPath == null ? ConfigKeys.TLS_CERT_PATH : ConfigKeys.TLS_KEY_PATH),
          "required when cluster.tls.enabled is true (every member presents it and trusts its peers by it)");
    }
    if (trustPath == null) {
      trustPath = certPath;
    }
  }

  public static ClusterTlsConfig off() {
    return new ClusterTlsConfig(false, null, null, null);
  }
}
