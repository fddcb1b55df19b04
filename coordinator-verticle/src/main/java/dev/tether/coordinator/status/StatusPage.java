package dev.tether.coordinator.status;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The active coordinator's status page ({@code GET /}): the status document as one self-contained
 * HTML page (inline CSS, no script, no external asset) that reloads itself every
 * {@link #REFRESH_SECONDS}: servers, nodes, and the recent switchovers as a timeline, each run a
 * bar split into its phases. Pure formatting: JSON in, HTML out.
 */
public final class StatusPage {
  public static final int REFRESH_SECONDS = 2;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String[] PHASE_COLOURS = {"#e0a030", "#d05050", "#4a80d0", "#40a060"};
  private static final String CSS = """
      body{font:14px/1.4 system-ui,sans-serif;margin:20px;color:#222;background:#fafafa}
      h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:22px 0 6px}
      .summary{color:#555} table{border-collapse:collapse;background:#fff}
      th,td{border:1px solid #ddd;padding:4px 10px;text-align:left} th{background:#f0f0f0}
      .role{font-weight:600;border-radius:3px;padding:1px 6px;color:#fff}
      .PRIMARY{background:#2e7d32} .REPLICA{background:#1565c0} .DETACHED{background:#c62828} .UNKNOWN{background:#777}
      .bad{color:#c62828;font-weight:600} .axis{position:relative;height:34px;background:#fff;border:1px solid #ddd;margin-bottom:8px}
      .tick{position:absolute;top:0;bottom:0;width:3px;background:#d05050}
      .tick span{position:absolute;top:16px;left:4px;font-size:11px;white-space:nowrap}
      .run{display:flex;align-items:center;margin:3px 0} .run .label{width:430px;font-size:12px}
      .bar{display:flex;height:18px;background:#eee;flex:1;max-width:700px}
      .seg{height:18px;font-size:11px;color:#fff;overflow:hidden;white-space:nowrap;padding-left:2px}
      .legend span{display:inline-block;margin-right:12px;font-size:12px}
      .legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
      """;

  private StatusPage() {}

  public static String render(JsonObject status) {
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"")
        .append(REFRESH_SECONDS).append("\"><title>Tether fleet</title><style>").append(CSS).append("</style></head><body>");
    JsonObject coordinator = status.getJsonObject("coordinator", new JsonObject());
    JsonObject topology = status.getJsonObject("topology");
    html.append("<h1>Tether fleet</h1><div class=\"summary\" id=\"summary\">");
    if (topology != null) {
      html.append("primary <b id=\"primary\">").append(esc(topology.getString("primary"))).append("</b> · epoch <b id=\"epoch\">")
          .append(topology.getValue("epoch")).append("</b> · phase <b id=\"phase\">").append(esc(topology.getString("phase")))
          .append("</b>");
    } else {
      html.append("<span class=\"bad\">topology unreadable: ").append(esc(status.getString("topologyError"))).append("</span>");
    }
    html.append(" · active coordinator <b id=\"coordinator\">").append(esc(coordinator.getString("nodeId")))
        .append("</b> (").append(esc(coordinator.getString("admin"))).append(") · read at ")
        .append(CLOCK.format(Instant.ofEpochMilli(status.getLong("readAtMillis", 0L)))).append(" UTC, every ")
        .append(REFRESH_SECONDS).append(" s</div>");
    servers(html, topology);
    nodes(html, status);
    timeline(html, status.getJsonArray("switchovers", new JsonArray()), status.getLong("readAtMillis", 0L));
    return html.append("</body></html>").toString();
  }

  private static void servers(StringBuilder html, JsonObject topology) {
    html.append("<h2>Servers</h2><table id=\"servers\"><tr><th>server</th><th>role</th><th>reachable</th><th>read_only</th>"
        + "<th>replicating</th><th>lag (s)</th><th>GTID position</th><th>error</th></tr>");
    JsonArray readings = topology == null ? new JsonArray() : topology.getJsonArray("servers", new JsonArray());
    for (int i = 0; i < readings.size(); i++) {
      JsonObject s = readings.getJsonObject(i);
      String role = String.valueOf(s.getString("role"));
      html.append("<tr data-server=\"").append(esc(s.getString("server"))).append("\" data-role=\"").append(esc(role))
          .append("\"><td>").append(esc(s.getString("server"))).append("</td><td><span class=\"role ").append(esc(role))
          .append("\">").append(esc(role)).append("</span></td>")
          .append(cell(s.getBoolean("reachable"), false))
          .append(cell(Boolean.FALSE.equals(s.getBoolean("reachable")) ? null : s.getBoolean("readOnly"), null))
          .append(cell(s.getBoolean("replicating"), false)).append("<td>").append(dash(s.getValue("lagSeconds")))
          .append("</td><td>").append(esc(dash(s.getString("gtidPosition")))).append("</td><td class=\"bad\">")
          .append(esc(s.getString("error") == null ? "" : s.getString("error"))).append("</td></tr>");
    }
    html.append("</table>");
  }

  private static void nodes(StringBuilder html, JsonObject status) {
    html.append("<h2>Proxy nodes</h2><table id=\"nodes\"><tr><th>node</th><th>address</th><th>sessions</th><th>quiescent</th>"
        + "<th>in a transaction</th><th>migrating</th><th>reaches primary</th></tr>");
    JsonArray nodes = status.getJsonArray("nodes", new JsonArray());
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i);
      html.append("<tr data-node=\"").append(esc(n.getString("nodeId"))).append("\"><td>").append(esc(n.getString("nodeId")))
          .append("</td><td>").append(esc(n.getString("host") + ":" + n.getValue("port"))).append("</td>");
      if (Boolean.TRUE.equals(n.getBoolean("answered"))) {
        html.append("<td class=\"sessions\">").append(n.getValue("sessions")).append("</td><td>").append(n.getValue("quiescent"))
            .append("</td><td>").append(n.getValue("inTransaction")).append("</td><td>").append(n.getValue("migrating"))
            .append("</td>").append(cell(n.getBoolean("reachesPrimary"), false));
      } else {
        html.append("<td colspan=\"5\" class=\"bad\">no answer</td>");
      }
      html.append("</tr>");
    }
    JsonObject totals = status.getJsonObject("sessions");
    if (totals != null) {
      html.append("<tr><th colspan=\"2\">total</th><th id=\"sessions-total\">").append(totals.getValue("sessions"))
          .append("</th><th></th><th>").append(totals.getValue("inTransaction")).append("</th><th>")
          .append(totals.getValue("migrating")).append("</th><th></th></tr>");
    }
    html.append("</table>");
  }

  /** A time axis with a mark per run, then each run as a bar whose segments are its phases, scaled to the longest. */
  private static void timeline(StringBuilder html, JsonArray runs, long now) {
    html.append("<h2>Recent switchovers</h2>");
    if (runs.isEmpty()) {
      html.append("<p id=\"switchovers\">none yet</p>");
      return;
    }
    long oldest = now;
    long longest = 1;
    for (int i = 0; i < runs.size(); i++) {
      oldest = Math.min(oldest, runs.getJsonObject(i).getLong("startedAtMillis", now));
      longest = Math.max(longest, runs.getJsonObject(i).getLong("totalMillis", 0L));
    }
    long span = Math.max(now - oldest, 60_000);
    long start = now - span - span / 20;
    html.append("<div class=\"axis\" title=\"from ").append(CLOCK.format(Instant.ofEpochMilli(start))).append(" to ")
        .append(CLOCK.format(Instant.ofEpochMilli(now))).append(" UTC\">");
    double labelled = Double.MAX_VALUE; // newest first: a label only where it does not run into the previous one
    for (int i = 0; i < runs.size(); i++) {
      JsonObject run = runs.getJsonObject(i);
      double left = Math.min(99.5, 100.0 * (run.getLong("startedAtMillis", now) - start) / (now - start));
      String when = CLOCK.format(Instant.ofEpochMilli(run.getLong("startedAtMillis", now)));
      html.append("<div class=\"tick\" title=\"").append(when).append(' ').append(esc(run.getString("kind")))
          .append("\" style=\"left:").append(String.format("%.2f", left)).append("%\">");
      if (labelled - left > 6) {
        html.append("<span>").append(when).append("</span>");
        labelled = left;
      }
      html.append("</div>");
    }
    html.append("</div><div class=\"legend\">");
    for (int p = 0; p < StatusText.PHASES.size(); p++) {
      html.append("<span><i style=\"background:").append(PHASE_COLOURS[p]).append("\"></i>").append(StatusText.PHASES.get(p))
          .append("</span>");
    }
    html.append("</div><div id=\"switchovers\">");
    for (int i = 0; i < runs.size(); i++) {
      run(html, runs.getJsonObject(i), longest);
    }
    html.append("</div>");
  }

  private static void run(StringBuilder html, JsonObject run, long longest) {
    boolean failed = "failed".equals(run.getString("outcome"));
    html.append("<div class=\"run\" data-kind=\"").append(esc(run.getString("kind"))).append("\"><div class=\"label\">")
        .append(CLOCK.format(Instant.ofEpochMilli(run.getLong("startedAtMillis", 0L)))).append(" ")
        .append(esc(run.getString("kind"))).append(" ");
    if (failed) {
      html.append("<span class=\"bad\">failed: ").append(esc(run.getString("error"))).append("</span></div>");
      html.append("<div class=\"bar\"></div></div>");
      return;
    }
    html.append(esc(run.getString("from"))).append(" → ").append(esc(run.getString("to"))).append(", epoch ")
        .append(run.getValue("epoch")).append(", ").append(run.getValue("totalMillis")).append(" ms");
    if (run.getValue("longestHoldMillis") != null) {
      html.append(", pause ").append(run.getValue("longestHoldMillis")).append(" ms");
    }
    html.append("</div><div class=\"bar\">");
    for (int p = 0; p < StatusText.PHASES.size(); p++) {
      Object millis = StatusText.phaseMillis(run, StatusText.PHASES.get(p));
      if (millis instanceof Number ms) {
        double width = 100.0 * ms.longValue() / longest;
        html.append("<div class=\"seg\" title=\"").append(StatusText.PHASES.get(p)).append(' ').append(ms).append(" ms\" style=\"width:")
            .append(String.format("%.2f", Math.max(0.4, width))).append("%;background:").append(PHASE_COLOURS[p]).append("\">")
            .append(width > 8 ? StatusText.PHASES.get(p) + " " + ms : "").append("</div>");
      }
    }
    html.append("</div></div>");
  }

  private static String cell(Boolean value, Boolean bad) {
    String text = value == null ? "-" : value ? "yes" : "no";
    return (value != null && value.equals(bad) ? "<td class=\"bad\">" : "<td>") + text + "</td>";
  }

  private static String dash(Object value) {
    return value == null ? "-" : String.valueOf(value);
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
