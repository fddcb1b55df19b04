package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private record Seen(int sequenceId, Buffer payload, Buffer frame) {}

  private static List<Seen> decode(Buffer stream, int... cuts) {
    List<Seen> seen = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder((seq, payload, frame) -> seen.add(new Seen(seq, payload.copy(), frame.copy())));
    int from = 0;
    for (int cut : cuts) {
      decoder.handle(stream.getBuffer(from, cut));
      from = cut;
    }
    decoder.handle(stream.getBuffer(from, stream.length()));
    assertEquals(0, decoder.pendingBytes());
    return seen;
  }

  private static Buffer frame(int sequenceId, byte[] payload) {
    return Buffer.buffer().appendMediumLE(payload.length).appendByte((byte) sequenceId).appendBytes(payload);
  }

  @Test
  void framesSplitAtEveryPossibleByteAreReassembledExactly() {
    Buffer stream = Buffer.buffer().appendBuffer(frame(0, new byte[] {3, 'S', 'E', 'L'}))
        .appendBuffer(frame(1, new byte[0])).appendBuffer(frame(7, new byte[] {9, 9, 9}));
    for (int cut = 0; cut <= stream.length(); cut++) {
      List<Seen> seen = decode(stream, cut);
      assertEquals(3, seen.size(), "cut at " + cut);
      assertEquals(Buffer.buffer(new byte[] {3, 'S', 'E', 'L'}), seen.get(0).payload());
      assertEquals(0, seen.get(1).payload().length());
      assertEquals(7, seen.get(2).sequenceId());
      assertEquals(stream.getBuffer(0, 8), seen.get(0).frame(), "frame includes its header");
    }
  }

  @Test
  void payloadsAtTheSixteenMebibyteBoundaryAreDeliveredAsTheWireCarriesThem() {
    byte[] full = new byte[Packets.MAX_FRAME_PAYLOAD];
    new Random(1).nextBytes(full);
    // exactly 16 MiB - 1: one full frame and an empty continuation frame
    Buffer exact = Buffer.buffer().appendBuffer(frame(0, full)).appendBuffer(frame(1, new byte[0]));
    List<Seen> seen = decode(exact, 3, 70_000, 9_000_000, exact.length() - 2);
    assertEquals(2, seen.size());
    assertEquals(Packets.MAX_FRAME_PAYLOAD, seen.get(0).payload().length());
    assertEquals(Buffer.buffer(full), seen.get(0).payload());
    assertEquals(0, seen.get(1).payload().length());
    // 16 MiB: one full frame and a one-byte frame
    Buffer over = Buffer.buffer().appendBuffer(frame(0, full)).appendBuffer(frame(1, new byte[] {42}));
    seen = decode(over, 65_536);
    assertEquals(2, seen.size());
    assertEquals(1, seen.get(1).payload().length());
  }

  @Test
  void aFrameAnnouncingMoreThanTheLimitIsRefusedAtOnce() {
    List<Integer> refused = new ArrayList<>();
    FrameDecoder decoder = new FrameDecoder(new FrameSink() {
      @Override
      public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
        throw new AssertionError("no frame expected");
      }

      @Override
      public void onOversizedFrame(int payloadLength) {
        refused.add(payloadLength);
      }
    });
    decoder.maxPayload(1024);
    decoder.handle(Buffer.buffer("GET / HTTP/1.1\r\n"));
    assertEquals(List.of(0x544547), refused);
    decoder.handle(Buffer.buffer("more"));
    assertTrue(refused.size() == 1);
  }

  @Test
  void bytesBehindAnSslRequestInTheSameChunkAreHandedOffNotCutIntoFrames() {
    Buffer clientHello = Buffer.buffer(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
    Buffer chunk = Buffer.buffer().appendBuffer(frame(1, new byte[32])).appendBuffer(clientHello);
    List<Buffer> handedOff = new ArrayList<>();
    List<Integer> frames = new ArrayList<>();
    FrameDecoder[] decoder = new FrameDecoder[1];
    decoder[0] = new FrameDecoder((seq, payload, frame) -> {
      frames.add(seq);
      decoder[0].handOffRest(handedOff::add);
    });
    decoder[0].handle(chunk);
    assertEquals(List.of(1), frames, "only the SSLRequest is a frame");
    assertEquals(List.of(clientHello), handedOff);
    assertEquals(0, decoder[0].pendingBytes());
  }
}
