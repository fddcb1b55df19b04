package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

/**
 * Coverage-guided fuzz targets (Jazzer) for every decoder that reads bytes a client or server sent.
 * A decoder may refuse input only with {@link ProtocolException}; any other exception is a bug.
 * In the normal test run each target replays its kept inputs (ProtocolFuzzTestInputs/, crashes found
 * included); {@code ./tether bench fuzz} fuzzes each for a while (JAZZER_FUZZ=1).
 */
class ProtocolFuzzTest {

  /** Any byte stream, cut into any chunks: frames come out whole and in order, and the budget balances. */
  @FuzzTest(maxDuration = "30s")
  void frameDecoder(FuzzedDataProvider data) {
    PartialFrameBudget budget = new PartialFrameBudget(data.consumeInt(4, 1 << 25), data.consumeInt(4, 1 << 26));
    Buffer delivered = Buffer.buffer();
    boolean[] stopped = new boolean[1];
    FrameDecoder decoder = new FrameDecoder(new FrameSink() {
      @Override
      public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
        assertEquals(frame.getUnsignedMediumLE(0), payload.length());
        assertEquals(frame.getUnsignedByte(3), sequenceId);
        delivered.appendBuffer(frame);
      }

      @Override
      public void onOversizedFrame(int payloadLength) {
        stopped[0] = true;
      }

      @Override
      public void onOverBudget(int sequenceId) {
        stopped[0] = true;
      }
    });
    decoder.budget(budget);
    decoder.maxPayload(data.consumeInt(0, Packets.MAX_FRAME_PAYLOAD));
    Buffer sent = Buffer.buffer();
    while (data.remainingBytes() > 0) {
      byte[] chunk = data.consumeBytes(data.consumeInt(1, 4096));
      sent.appendBytes(chunk);
      decoder.handle(Buffer.buffer(chunk));
      assertTrue(budget.held() == decoder.pendingBytes() || stopped[0], "the budget holds what the decoder holds");
    }
    assertTrue(delivered.length() <= sent.length());
    assertEquals(sent.slice(0, delivered.length()), delivered, "frames are the stream, in order");
    decoder.release();
    assertEquals(0, budget.held(), "every reserved byte is given back");
  }

  /** Command layout checks and the change-user decoder never fail with anything but a verdict. */
  @FuzzTest(maxDuration = "30s")
  void commandReading(FuzzedDataProvider data) {
    long capabilities = data.consumeLong();
    byte[] bytes = data.consumeRemainingAsBytes();
    if (bytes.length == 0) {
      return;
    }
    Buffer payload = Buffer.buffer(bytes);
    CommandCheck.Malformed malformed = CommandCheck.check(payload, capabilities);
    if (malformed == null && payload.getUnsignedByte(0) == Command.COM_CHANGE_USER) {
      ChangeUserRequest.decode(payload, capabilities, 45); // the check let it through: it must decode
    }
    if (malformed != null && malformed.reply() != null) {
      malformed.reply().encode(1);
    }
  }

  /** Any response bytes to any command: the tracker answers with flags, or refuses with ProtocolException. */
  @FuzzTest(maxDuration = "30s")
  void responseTracker(FuzzedDataProvider data) {
    ResponseTracker tracker = new ResponseTracker(data.consumeBoolean());
    byte[] command = data.consumeBytes(data.consumeInt(1, 16));
    if (command.length == 0) {
      return;
    }
    tracker.expectResponseTo(Buffer.buffer(command));
    try {
      while (data.remainingBytes() > 0) {
        Buffer frame = Buffer.buffer(data.consumeBytes(data.consumeInt(0, 64)));
        if (data.consumeBoolean() && tracker.state() == ResponseTracker.State.INFILE_UPLOAD) {
          tracker.onClientUploadFrame(frame);
        } else {
          tracker.onBackendFrame(frame);
        }
      }
    } catch (ProtocolException refused) {
      // a response no server sends (an empty result header, ...): the session's typed failure
    }
  }

  /** Handshakes both ways: decoded, or refused with ProtocolException. */
  @FuzzTest(maxDuration = "30s")
  void handshakeParsers(FuzzedDataProvider data) {
    boolean greeting = data.consumeBoolean();
    Buffer payload = Buffer.buffer(data.consumeRemainingAsBytes());
    try {
      if (greeting) {
        HandshakeV10.decode(payload);
      } else {
        HandshakeResponse41.isSslRequest(payload);
        HandshakeResponse41.asksForTls(payload);
        HandshakeResponse41 response = HandshakeResponse41.decode(payload);
        response.encode(1);
      }
    } catch (ProtocolException refused) {
      // the typed refusal: the caller answers Bad handshake
    } catch (MySqlException serverError) {
      // a greeting that is the server's ERR (too many connections, host blocked): typed too
      assertTrue(greeting);
    }
  }

  /** OK, ERR, state-change blocks, prepare-OK and the OK rewrite for clients without session tracking. */
  @FuzzTest(maxDuration = "30s")
  void okErrAndStateChangeDecoders(FuzzedDataProvider data) {
    int which = data.consumeInt(0, 4);
    Buffer payload = Buffer.buffer(data.consumeRemainingAsBytes());
    try {
      switch (which) {
        case 0 -> OkPacket.decodeTracked(payload);
        case 1 -> OkPacket.withoutSessionTrack(payload, 1);
        case 2 -> ErrPacket.decode(payload);
        case 3 -> SessionStateChange.decode(payload);
        default -> StmtPrepareOk.decode(payload);
      }
    } catch (ProtocolException refused) {
      // the typed refusal
    }
  }
}
