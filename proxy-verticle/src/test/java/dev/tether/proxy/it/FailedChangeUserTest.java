package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.AuthSwitchRequest;
import dev.tether.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mysqlclient.MySQLAuthOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A COM_CHANGE_USER with a wrong password, directly and through the proxy, byte for byte: MariaDB
 * answers 1045, resets the session (variables, user variables, temporary tables, prepared
 * statements) but keeps the previous user, schema and character set, and the connection stays
 * usable; from the fourth failed attempt on it answers 1047 without checking the password. The
 * server asks for every COM_CHANGE_USER proof on a fresh challenge.
 */
class FailedChangeUserTest extends ThroughProxy {

  /** What a client sees, step by step: error codes, SQLSTATEs, sequence ids, then the session's state. */
  private static List<String> scenario(int port) throws IOException {
    List<String> seen = new ArrayList<>();
    try (RawClient c = RawClient.login(port, "app", "app")) {
      c.query("SET @kept = 'before', SESSION sql_mode = 'ANSI_QUOTES', NAMES latin1");
      seen.add("set: " + c.read().first());
      c.query("CREATE TEMPORARY TABLE failed_change_user_tmp (a INT)");
      seen.add("temporary table: " + c.read().first());
      c.query("SELECT CONNECTION_ID()");
      String threadBefore = c.readScalar();
      for (int attempt = 1; attempt <= 4; attempt++) {
        c.writeFrame(0, changeUser("app2", AuthScramble.nativePassword("wrong-password", c.greeting.scramble())));
        RawClient.Packet reply = c.read();
        if (reply.first() == 0xFE) { // the server may ask for a proof on a fresh challenge, as for a login
          AuthSwitchRequest sw = AuthSwitchRequest.decode(reply.payload());
          seen.add("attempt " + attempt + ": switch to " + sw.pluginName() + " seq " + reply.sequenceId());
          c.writeFrame(reply.sequenceId() + 1, Buffer.buffer(AuthScramble.nativePassword("wrong-password", sw.pluginData())));
          reply = c.read();
        }
        seen.add("attempt " + attempt + ": " + (reply.isErr() ? reply.errorCode() + " " + reply.sqlState() : "0x"
            + Integer.toHexString(reply.first())) + " seq " + reply.sequenceId());
        c.query("SELECT CONCAT_WS(' | ', CURRENT_USER(), DATABASE(), @@character_set_client, @@character_set_results,"
            + " @@collation_connection, @@sql_mode, IFNULL(@kept, 'no @kept'))");
        seen.add("after " + attempt + ": " + c.readScalar());
        c.query("SELECT COUNT(*) FROM failed_change_user_tmp");
        seen.add("temporary table after " + attempt + ": " + scalarOrError(c));
        c.query("SET @kept = 'again'");
        c.read();
      }
      c.query("SELECT CONNECTION_ID()");
      seen.add("same backend thread: " + threadBefore.equals(c.readScalar()));
      c.writeFrame(0, changeUser("app2", AuthScramble.nativePassword("app2", c.greeting.scramble())));
      RawClient.Packet reply = c.read();
      if (reply.first() == 0xFE) {
        AuthSwitchRequest sw = AuthSwitchRequest.decode(reply.payload());
        c.writeFrame(reply.sequenceId() + 1, Buffer.buffer(AuthScramble.nativePassword("app2", sw.pluginData())));
        reply = c.read();
      }
      seen.add("right password after four failures: " + (reply.isErr() ? reply.errorCode() : "ok"));
    }
    return seen;
  }

  private static String scalarOrError(RawClient c) throws IOException {
    try {
      return c.readScalar();
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** COM_CHANGE_USER as a MariaDB client library writes it (no connect attributes). */
  private static Buffer changeUser(String user, byte[] proof) {
    return Buffer.buffer().appendByte((byte) 0x11).appendString(user).appendByte((byte) 0)
        .appendByte((byte) proof.length).appendBytes(proof)
        .appendString("tether").appendByte((byte) 0)
        .appendShortLE((short) 45)
        .appendString("mysql_native_password").appendByte((byte) 0);
  }

  /** The same with the Vert.x MySQL client: the failed change fails its future, the connection goes on as before. */
  private static List<String> vertxScenario(Vertx vertx, int port) throws Exception {
    List<String> seen = new ArrayList<>();
    MySQLConnection c = await(MySQLConnection.connect(vertx, new MySQLConnectOptions().setHost("127.0.0.1")
        .setPort(port).setUser("app").setPassword("app").setDatabase("tether")));
    try {
      await(c.query("SET @kept = 1").execute());
      try {
        await(c.changeUser(new MySQLAuthOptions().setUser("app2").setPassword("wrong-password")));
        seen.add("changed");
      } catch (ExecutionException e) {
        MySQLException error = (MySQLException) e.getCause();
        seen.add(error.getErrorCode() + " " + error.getSqlState());
      }
      for (Row row : await(c.query("SELECT CURRENT_USER() AS u, DATABASE() AS db, @kept AS kept").execute())) {
        seen.add(row.getString("u") + " " + row.getString("db") + " " + row.getValue("kept"));
      }
    } finally {
      await(c.close());
    }
    return seen;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theVertxClientKeepsItsConnectionAfterAWrongPassword() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> direct = vertxScenario(vertx, TestDatabase.shared().port());
      assertEquals(List.of("1045 28000", "app@% tether null"), direct);
      assertEquals(direct, vertxScenario(vertx, proxy.port()));
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aWrongPasswordLeavesTheSessionAsTheServerDoes() throws Exception {
    List<String> direct = scenario(TestDatabase.shared().port());
    System.out.println("direct:  " + String.join("\n         ", direct));
    List<String> proxied = scenario(proxy.port());
    System.out.println("proxied: " + String.join("\n         ", proxied));
    assertEquals(direct, proxied);
  }
}
