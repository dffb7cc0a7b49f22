package io.capstan.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class StunRepairTest {

  private static final byte[] PASSWORD = "ffmpeg-ice-password".getBytes(StandardCharsets.UTF_8);

  /** A binding success response as FFmpeg's whip muxer writes it: MESSAGE-INTEGRITY and FINGERPRINT only. */
  private static ByteBuffer ffmpegResponse() {
    ByteBuffer b = ByteBuffer.allocate(20 + 24 + 8);
    b.putShort((short) 0x0101).putShort((short) 32).putInt(0x2112A442);
    b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    b.putShort((short) 0x0008).putShort((short) 20).put(new byte[20]);
    b.putShort((short) 0x8028).putShort((short) 4).putInt(0);
    b.flip();
    return b;
  }

  @Test
  void aResponseWithoutMappedAddressGetsOneAndIsSignedAgain() throws Exception {
    InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 50123);

    ByteBuffer out = StunRepair.repair(ffmpegResponse(), mapped, PASSWORD);

    byte[] m = new byte[out.remaining()];
    out.get(m);
    assertThat(m.length).isEqualTo(20 + 12 + 24 + 8);
    ByteBuffer r = ByteBuffer.wrap(m);
    assertThat(r.getShort(0)).isEqualTo((short) 0x0101);
    assertThat(r.getShort(2) & 0xffff).isEqualTo(m.length - 20);
    assertThat(Arrays.copyOfRange(m, 8, 20)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    // XOR-MAPPED-ADDRESS decodes to the address given.
    assertThat(r.getShort(20)).isEqualTo((short) 0x0020);
    assertThat((r.getShort(26) & 0xffff) ^ 0x2112).isEqualTo(50123);
    int address = r.getInt(28) ^ 0x2112A442;
    assertThat(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array()).getHostAddress())
        .isEqualTo("192.0.2.10");
    // MESSAGE-INTEGRITY verifies with the peer's password over the message up to it, length up to its end.
    byte[] signed = Arrays.copyOf(m, 32);
    ByteBuffer.wrap(signed).putShort(2, (short) (12 + 24));
    assertThat(Arrays.copyOfRange(m, 36, 56)).containsExactly(StunRepair.hmac(PASSWORD, signed, 32));
    // FINGERPRINT is the CRC-32 of all before it, XOR "STUN".
    CRC32 crc = new CRC32();
    crc.update(m, 0, 56);
    assertThat(r.getInt(60)).isEqualTo((int) crc.getValue() ^ 0x5354554E);
  }

  @Test
  void everyOtherPacketPassesUntouched() {
    ByteBuffer rtp = ByteBuffer.wrap(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 9, 9, 9, 9, 9, 9, 9, 9});
    assertThat(StunRepair.repair(rtp, new InetSocketAddress("127.0.0.1", 1), PASSWORD)).isSameAs(rtp);
    ByteBuffer request = ffmpegResponse();
    request.putShort(0, (short) 0x0001);
    assertThat(StunRepair.repair(request, new InetSocketAddress("127.0.0.1", 1), PASSWORD)).isSameAs(request);
    assertThat(StunRepair.needed("a=ssrc:1 cname:FFmpeg\r\n")).isTrue();
    assertThat(StunRepair.needed("a=ssrc:1 cname:chrome\r\n")).isFalse();
  }

  @Test
  void aCheckIsAnsweredWithItsTransactionAndAValidSignature() throws Exception {
    ByteBuffer request = ffmpegResponse();
    request.putShort(0, (short) 0x0001);
    InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 50123);

    ByteBuffer out = StunRepair.respond(request, mapped, PASSWORD);

    byte[] m = new byte[out.remaining()];
    out.get(m);
    assertThat(ByteBuffer.wrap(m).getShort(0)).isEqualTo((short) 0x0101);
    assertThat(Arrays.copyOfRange(m, 8, 20)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    byte[] signed = Arrays.copyOf(m, 32);
    ByteBuffer.wrap(signed).putShort(2, (short) (12 + 24));
    assertThat(Arrays.copyOfRange(m, 36, 56)).containsExactly(StunRepair.hmac(PASSWORD, signed, 32));
  }
}
