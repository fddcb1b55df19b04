package dev.tether.config;

import java.time.Duration;
import java.util.List;

/**
 * The coordinator: its admin API (port and bearer token), the database servers it manages, the
 * credentials of its control connections and of replication, and the bounds of a switchover
 * (how long transactions get to finish when blocked; how long it waits for a node's acknowledgement),
 * failure detection (how often the primary is probed; after how many failed probes in a row
 * the coordinator asks the others whether it is dead), and how often every server's health
 * (reachability, read_only, GTID position, replication lag) is read; whether a fenced server whose
 * history allows it is rejoined as a replica by itself ({@code autoRejoin}); and whether the admin
 * API serves TLS ({@code adminTls}: a configured certificate, or a self-signed one made at start);
 * and what a planned switchover does with open transactions unless a request says otherwise
 * ({@code switchoverMode}: drain them, or replay them on the new primary).
 */
public record CoordinatorConfig(int adminPort, String token, List<String> servers, String adminUser,
                                String adminPassword, String replicationUser, String replicationPassword,
                                Duration blockWindow, Duration phaseTimeout, Duration probeInterval,
                                int suspectAfter, Duration monitorInterval, boolean autoRejoin, TlsConfig adminTls,
                                SwitchoverMode switchoverMode) {
  public CoordinatorConfig {
    servers = List.copyOf(servers);
    adminTls = adminTls == null ? new TlsConfig(false, null, null, null) : adminTls;
    switchoverMode = switchoverMode == null ? SwitchoverMode.DRAIN : switchoverMode;
  }

  /** Planned switchovers drain open transactions unless a request asks for replay. */
  public CoordinatorConfig(int adminPort, String token, List<String> servers, String adminUser, String adminPassword,
                           String replicationUser, String replicationPassword, Duration blockWindow,
                           Duration phaseTimeout, Duration probeInterval, int suspectAfter, Duration monitorInterval,
                           boolean autoRejoin, TlsConfig adminTls) {
    this(adminPort, token, servers, adminUser, adminPassword, replicationUser, replicationPassword, blockWindow,
        phaseTimeout, probeInterval, suspectAfter, monitorInterval, autoRejoin, adminTls, SwitchoverMode.DRAIN);
  }

  /** Automatic rejoin on, the admin API on plain HTTP. */
  public CoordinatorConfig(int adminPort, String token, List<String> servers, String adminUser, String adminPassword,
                           String replicationUser, String replicationPassword, Duration blockWindow,
                           Duration phaseTimeout, Duration probeInterval, int suspectAfter, Duration monitorInterval) {
    this(adminPort, token, servers, adminUser, adminPassword, replicationUser, replicationPassword, blockWindow,
        phaseTimeout, probeInterval, suspectAfter, monitorInterval, true, null, SwitchoverMode.DRAIN);
  }

  @Override
  public String toString() {
    return "CoordinatorConfig[adminPort=" + adminPort + ", servers=" + servers + "]"; // never the secrets
  }
}
