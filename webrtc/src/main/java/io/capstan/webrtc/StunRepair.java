package io.capstan.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP relay in front of one peer connection, for publishers that keep ICE alive the way
 * libwebrtc does not accept: FFmpeg's whip muxer (8.1) answers libwebrtc's connectivity checks
 * without XOR-MAPPED-ADDRESS while it connects (libwebrtc ignores such answers) and not at all
 * afterwards, so libwebrtc gives the session up 15 s after it connected. The relay adds the
 * attribute to the peer's answers, and answers libwebrtc's checks itself while the peer's packets
 * keep coming (signed with the peer's ICE password, which the offer gave); a peer that goes silent
 * is still given up. Every other packet passes as it is.
 */
final class StunRepair implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StunRepair.class);
  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final int BINDING_REQUEST = 0x0001;
  private static final int BINDING_SUCCESS = 0x0101;
  /** How long after the peer's last packet its checks are still answered for it. */
  private static final long PEER_ALIVE_NANOS = 3_000_000_000L;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;
  private static final int MESSAGE_INTEGRITY = 0x0008;
  private static final int FINGERPRINT = 0x8028;

  private final DatagramChannel front;
  private final DatagramChannel back;
  private final InetSocketAddress target;
  private final byte[] peerPassword;
  private final Selector selector;
  private final Thread thread;
  private volatile SocketAddress peer;
  private volatile long lastFromPeerNanos;
  private volatile boolean closed;
  private long repaired;

  private StunRepair(DatagramChannel front, DatagramChannel back, InetSocketAddress target, String peerPassword,
                     Selector selector) {
    this.front = front;
    this.back = back;
    this.target = target;
    this.peerPassword = peerPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.selector = selector;
    this.thread = new Thread(this::run, "stun-repair");
    this.thread.setDaemon(true);
  }

  /** Whether an offer comes from a publisher that needs the repair (FFmpeg's whip muxer names itself). */
  static boolean needed(String offerSdp) {
    return offerSdp.contains("cname:FFmpeg") || offerSdp.contains("a=msid:FFmpeg ");
  }

  /**
   * Starts a relay to libwebrtc's host candidate {@code target}, listening on every address on a port
   * of {@code settings}' range (any when none).
   */
  static StunRepair start(InetSocketAddress target, String peerPassword, RtcSettings settings) throws RtcException {
    DatagramChannel front = null;
    DatagramChannel back = null;
    Selector selector = null;
    try {
      front = DatagramChannel.open(StandardProtocolFamily.INET);
      bind(front, settings);
      back = DatagramChannel.open(StandardProtocolFamily.INET);
      back.bind(new InetSocketAddress(target.getAddress(), 0));
      back.connect(target);
      front.configureBlocking(false);
      back.configureBlocking(false);
      selector = Selector.open();
      front.register(selector, SelectionKey.OP_READ);
      back.register(selector, SelectionKey.OP_READ);
      StunRepair relay = new StunRepair(front, back, target, peerPassword, selector);
      relay.thread.start();
      return relay;
    } catch (IOException e) {
      closeQuietly(front);
      closeQuietly(back);
      closeQuietly(selector);
      throw new RtcException("cannot open the STUN repair relay: " + e.getMessage(), false, e);
    }
  }

  private static void bind(DatagramChannel channel, RtcSettings settings) throws IOException {
    if (settings.minPort() <= 0) {
      channel.bind(new InetSocketAddress(0));
      return;
    }
    for (int port = settings.maxPort(); port >= settings.minPort(); port--) {
      try {
        channel.bind(new InetSocketAddress(port)); // from the top: libwebrtc allocates from the bottom
        return;
      } catch (java.net.BindException taken) {
        // the next one
      }
    }
    throw new java.net.BindException("no free UDP port in " + settings.minPort() + "-" + settings.maxPort());
  }

  /** The port the peer is told to send to. */
  int port() {
    try {
      return ((InetSocketAddress) front.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    try {
      while (!closed) {
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.channel() == front) {
            drainFront(buffer);
          } else {
            drainBack(buffer);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        log.warn("the STUN repair relay to {} stopped: {}", target, e.toString());
      }
    }
  }

  private void drainFront(ByteBuffer buffer) throws IOException {
    SocketAddress from;
    while ((from = receive(front, buffer)) != null) {
      peer = from;
      lastFromPeerNanos = System.nanoTime();
      ByteBuffer out = repair(buffer, target, peerPassword);
      if (out != buffer && repaired++ == 0) {
        log.info("a publisher's STUN responses lack XOR-MAPPED-ADDRESS (FFmpeg's whip muxer): repaired on the way");
      }
      back.write(out);
    }
  }

  private void drainBack(ByteBuffer buffer) throws IOException {
    while (receive(back, buffer) != null) {
      SocketAddress to = peer;
      if (isBindingRequest(buffer) && System.nanoTime() - lastFromPeerNanos < PEER_ALIVE_NANOS) {
        // libwebrtc's connectivity and consent checks: FFmpeg answers them only while it connects, and libwebrtc
        // gives up 15 s after the last answer. Answered here for the peer while its packets keep coming.
        back.write(respond(buffer, target, peerPassword));
      } else if (to != null) {
        front.send(buffer, to);
      }
    }
  }

  private static boolean isBindingRequest(ByteBuffer packet) {
    return packet.remaining() >= 20 && packet.getShort(packet.position()) == BINDING_REQUEST
        && packet.getInt(packet.position() + 4) == MAGIC_COOKIE;
  }

  /** A binding success response to {@code request}: its transaction, {@code mapped}, signed with {@code password}. */
  static ByteBuffer respond(ByteBuffer request, InetSocketAddress mapped, byte[] password) {
    byte[] header = new byte[20];
    request.get(request.position(), header);
    header[0] = (byte) (BINDING_SUCCESS >> 8);
    header[1] = (byte) BINDING_SUCCESS;
    return signed(header, mapped, password);
  }

  private static SocketAddress receive(DatagramChannel channel, ByteBuffer buffer) throws IOException {
    buffer.clear();
    SocketAddress from = channel.receive(buffer);
    buffer.flip();
    return from;
  }

  /**
   * The packet, or a binding success response without XOR-MAPPED-ADDRESS rebuilt with it ({@code
   * mapped}), signed with {@code password}.
   */
  static ByteBuffer repair(ByteBuffer packet, InetSocketAddress mapped, byte[] password) {
    if (packet.remaining() < 20 || packet.getShort(packet.position()) != BINDING_SUCCESS
        || packet.getInt(packet.position() + 4) != MAGIC_COOKIE || has(packet, XOR_MAPPED_ADDRESS)) {
      return packet;
    }
    byte[] header = new byte[20];
    packet.get(packet.position(), header);
    return signed(header, mapped, password);
  }

  /** A message of {@code header}'s type and transaction with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT. */
  private static ByteBuffer signed(byte[] header, InetSocketAddress mapped, byte[] password) {
    ByteBuffer out = ByteBuffer.allocate(20 + 12 + 24 + 8);
    out.put(header);
    // XOR-MAPPED-ADDRESS (IPv4): family 1, port and address XORed with the magic cookie.
    out.putShort((short) XOR_MAPPED_ADDRESS).putShort((short) 8).put((byte) 0).put((byte) 1);
    out.putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
    out.putInt(ByteBuffer.wrap(mapped.getAddress().getAddress()).getInt() ^ MAGIC_COOKIE);
    // MESSAGE-INTEGRITY over everything before it, the length counting up to its end.
    out.putShort(2, (short) (12 + 24));
    byte[] mac = hmac(password, out.array(), out.position());
    out.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(mac);
    // FINGERPRINT, the length now counting it too.
    out.putShort(2, (short) (12 + 24 + 8));
    CRC32 crc = new CRC32();
    crc.update(out.array(), 0, out.position());
    out.putShort((short) FINGERPRINT).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554E);
    out.flip();
    return out;
  }

  private static boolean has(ByteBuffer packet, int attribute) {
    int at = packet.position() + 20;
    int end = Math.min(packet.limit(), packet.position() + 20 + (packet.getShort(packet.position() + 2) & 0xffff));
    while (at + 4 <= end) {
      int type = packet.getShort(at) & 0xffff;
      int length = packet.getShort(at + 2) & 0xffff;
      if (type == attribute) {
        return true;
      }
      at += 4 + ((length + 3) & ~3);
    }
    return false;
  }

  static byte[] hmac(byte[] key, byte[] message, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      mac.update(message, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is unavailable", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(front);
    closeQuietly(back);
    closeQuietly(selector);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
