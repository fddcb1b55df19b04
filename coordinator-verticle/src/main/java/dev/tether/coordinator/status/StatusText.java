package dev.tether.coordinator.status;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The status document ({@code GET /status}) and a switchover report as text tables, for
 * {@code ./tether status} and {@code ./tether switchover}. Pure formatting: JSON in, text out.
 */
public final class StatusText {
  static final List<String> PHASES = List.of("block", "promote", "switch", "restore");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private StatusText() {}

  public static String status(JsonObject status) {
    StringBuilder out = new StringBuilder();
    JsonObject coordinator = status.getJsonObject("coordinator", new JsonObject());
    JsonObject topology = status.getJsonObject("topology");
    out.append("coordinator ").append(coordinator.getString("nodeId", "?")).append(" is active (admin API ")
        .append(coordinator.getString("admin", "?")).append(")");
    if (topology != null) {
      out.append("; epoch ").append(topology.getValue("epoch")).append(", phase ").append(topology.getString("phase"));
      if (topology.getString("target") != null) {
        out.append(" to ").append(topology.getString("target"));
      }
      out.append(", primary ").append(topology.getString("primary"));
    } else {
      out.append("; topology unreadable: ").append(status.getString("topologyError"));
    }
    out.append("\n\nservers\n");
    TextTable servers = new TextTable("SERVER", "ROLE", "REACHABLE", "READ_ONLY", "REPLICATING", "LAG_S", "GTID", "ERROR");
    JsonArray readings = topology == null ? new JsonArray() : topology.getJsonArray("servers", new JsonArray());
    for (int i = 0; i < readings.size(); i++) {
      JsonObject s = readings.getJsonObject(i);
      servers.row(s.getString("server"), s.getString("role"), yesNo(s.getBoolean("reachable")),
          Boolean.FALSE.equals(s.getBoolean("reachable")) ? "-" : yesNo(s.getBoolean("readOnly")),
          yesNo(s.getBoolean("replicating")), s.getValue("lagSeconds"),
          s.getString("gtidPosition"), s.getString("error"));
    }
    out.append(servers);
    out.append("\nnodes\n");
    TextTable nodes = new TextTable("NODE", "ADDRESS", "SESSIONS", "QUIESCENT", "IN_TRANSACTION", "MIGRATING",
        "REACHES_PRIMARY");
    JsonArray registered = status.getJsonArray("nodes", new JsonArray());
    for (int i = 0; i < registered.size(); i++) {
      JsonObject n = registered.getJsonObject(i);
      String address = n.getString("host", "?") + ":" + n.getValue("port", "?");
      if (Boolean.TRUE.equals(n.getBoolean("answered"))) {
        nodes.row(n.getString("nodeId"), address, n.getValue("sessions"), n.getValue("quiescent"),
            n.getValue("inTransaction"), n.getValue("migrating"), yesNo(n.getBoolean("reachesPrimary")));
      } else {
        nodes.row(n.getString("nodeId"), address, "no answer");
      }
    }
    JsonObject totals = status.getJsonObject("sessions");
    if (totals != null) {
      nodes.row("total", "", totals.getValue("sessions"), "", totals.getValue("inTransaction"),
          totals.getValue("migrating"), "");
    }
    out.append(nodes);
    out.append("\nrecent switchovers (newest first)\n").append(switchovers(status.getJsonArray("switchovers",
        new JsonArray())));
    return out.toString();
  }

  /** One line per recorded run, with its phase times in milliseconds. */
  static String switchovers(JsonArray entries) {
    if (entries.isEmpty()) {
      return "none yet\n";
    }
    TextTable table = new TextTable("STARTED_UTC", "KIND", "FROM", "TO", "EPOCH", "OUTCOME", "BLOCK_MS", "PROMOTE_MS",
        "SWITCH_MS", "RESTORE_MS", "TOTAL_MS", "CLIENT_PAUSE_MS");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      table.row(e.getLong("startedAtMillis") == null ? null : WHEN.format(Instant.ofEpochMilli(e.getLong("startedAtMillis"))),
          e.getString("kind"), e.getString("from"), e.getString("to"), e.getValue("epoch"),
          "failed".equals(e.getString("outcome")) ? "failed: " + e.getString("error") : e.getString("outcome"),
          phaseMillis(e, "block"), phaseMillis(e, "promote"), phaseMillis(e, "switch"), phaseMillis(e, "restore"),
          e.getValue("totalMillis"), e.getValue("longestHoldMillis"));
    }
    return table.toString();
  }

  /** The answer to {@code POST /switchover}: the outcome line, then each phase with every node's acknowledgement. */
  public static String switchoverReport(JsonObject report) {
    StringBuilder out = new StringBuilder();
    out.append("switchover done: ").append(report.getString("from")).append(" -> ").append(report.getString("to"))
        .append(" at epoch ").append(report.getValue("epoch")).append(", ").append(report.getValue("totalMillis"))
        .append(" ms in all");
    if (report.getString("mode") != null) {
      out.append(" (").append(report.getString("mode")).append(" mode)");
    }
    if (report.getValue("longestHoldMillis") != null) {
      out.append("; the longest a client command was held: ").append(report.getValue("longestHoldMillis")).append(" ms");
    }
    out.append("\n\n");
    TextTable table = new TextTable("PHASE", "MS", "NODES_ACKED", "ACKNOWLEDGEMENTS (node: ms, sessions, in transaction, migrating)");
    for (String phase : PHASES) {
      JsonObject timed = report.getJsonObject(phase);
      if (timed == null) {
        continue;
      }
      JsonArray acks = timed.getJsonArray("acks", new JsonArray());
      StringBuilder who = new StringBuilder();
      for (int i = 0; i < acks.size(); i++) {
        JsonObject ack = acks.getJsonObject(i);
        who.append(i == 0 ? "" : "; ").append(ack.getString("nodeId")).append(": ").append(ack.getValue("millis"))
            .append(" ms, ").append(ack.getValue("sessions")).append(", ").append(ack.getValue("inTransaction"))
            .append(", ").append(ack.getValue("migrating"));
        if (Boolean.FALSE.equals(ack.getBoolean("applied"))) {
          who.append(" (stale epoch, not applied)");
        }
      }
      table.row(phase, timed.getValue("millis"), "promote".equals(phase) ? "-" : acks.size(), who.length() == 0 ? "-" : who);
    }
    return out.append(table).toString();
  }

  static Object phaseMillis(JsonObject entry, String phase) {
    JsonObject timed = entry.getJsonObject(phase);
    return timed == null ? null : timed.getValue("millis");
  }

  private static String yesNo(Boolean value) {
    return value == null ? "-" : value ? "yes" : "no";
  }
}
