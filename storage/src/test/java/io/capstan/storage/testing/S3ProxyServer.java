package io.capstan.storage.testing;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 server in the test's JVM (s3proxy over an in-memory blob store, AWS v2/v4 signatures).
 * {@link #stop} and {@link #start} again keep the port and the objects: an outage of the store.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "AKIACAPSTANTEST";
  public static final String SECRET_KEY = "capstan-test-secret-0123456789";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final BlobStore blobs = new TransientNio2BlobStore();
  private int port;
  private S3Proxy proxy;

  /** Starts on a free port. */
  public static S3ProxyServer start() throws Exception {
    S3ProxyServer server = new S3ProxyServer();
    server.startOn(0);
    return server;
  }

  /** Starts (again) on the port it had, or on {@code port} the first time (0: any free port). */
  public synchronized void startOn(int wanted) throws Exception {
    int bind = port != 0 ? port : wanted;
    proxy = S3Proxy.builder()
        .blobStore(blobs)
        .endpoint(URI.create("http://127.0.0.1:" + bind))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .ignoreUnknownHeaders(true)
        .stopTimeout(0)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.onSpinWait();
    }
    port = proxy.getPort();
  }

  /** Starts again after {@link #stop}, on the same port with the same objects. */
  public synchronized void restart() throws Exception {
    startOn(port);
  }

  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  public int port() {
    return port;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** A new empty bucket. */
  public String newBucket() {
    String name = "bucket" + BUCKETS.incrementAndGet();
    blobs.createContainer(name);
    return name;
  }

  public void createBucket(String name) {
    blobs.createContainer(name);
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
