package io.capstan.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hosted product's numeric region codes, followed to the request a store receives: the
 * uploader's S3 client goes out through an HTTPS proxy (a real socket here) and the host it asks
 * the proxy for is the documented endpoint of the vendor's region, with the bucket in front.
 */
class S3RegionRequestsIT {

  private final List<String> connects = new CopyOnWriteArrayList<>();
  private ServerSocket proxy;
  private Thread accepting;

  @BeforeEach
  void startProxy() throws Exception {
    proxy = new ServerSocket(0);
    accepting = new Thread(() -> {
      while (!proxy.isClosed()) {
        try (Socket s = proxy.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
          String requestLine = in.readLine();
          if (requestLine != null) {
            connects.add(requestLine);
          }
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (Exception ignored) {
          // closed at the end of the test
        }
      }
    }, "proxy");
    accepting.setDaemon(true);
    accepting.start();
    // The SDK's proxy settings follow the JVM's (http.* names the proxy's own protocol).
    for (String scheme : List.of("http", "https")) {
      System.setProperty(scheme + ".proxyHost", "127.0.0.1");
      System.setProperty(scheme + ".proxyPort", String.valueOf(proxy.getLocalPort()));
    }
  }

  @AfterEach
  void stopProxy() throws Exception {
    for (String scheme : List.of("http", "https")) {
      System.clearProperty(scheme + ".proxyHost");
      System.clearProperty(scheme + ".proxyPort");
    }
    proxy.close();
    accepting.join(5000);
  }

  @Test
  void eachVendorsRegionCodeSendsTheUploadToTheDocumentedEndpoint() throws Exception {
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("2/3", "rec.oss-cn-beijing.aliyuncs.com:443"); // the hosted product's own example body
    expected.put("2/0", "rec.oss-cn-hangzhou.aliyuncs.com:443");
    expected.put("0/4", "rec.s3.ap-southeast-1.qiniucs.com:443");
    expected.put("3/3", "rec.cos.ap-guangzhou.myqcloud.com:443");
    expected.put("4/3", "rec.ks3-cn-beijing.ksyuncs.com:443");
    expected.put("7/1", "rec.obs.cn-north-4.myhuaweicloud.com:443");
    expected.put("8/3", "rec.s3.gz.bcebos.com:443");
    expected.put("1/7", "rec.s3.eu-central-1.amazonaws.com:443");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String[] vendorRegion = e.getKey().split("/");
      connects.clear();
      StorageConfig storage = StorageConfig.newBuilder().setVendor(Integer.parseInt(vendorRegion[0]))
          .setRegion(vendorRegion[1]).setBucket("rec").setAccessKey("AKEXAMPLE").setSecretKey("not-a-real-secret")
          .build();
      try (S3Store store = S3Stores.open(storage, new StoreSettings(Path.of("target"), 64L << 20, 8 << 20))) {
        assertThatThrownBy(() -> store.put("sid_ch.m3u8", ByteBuffer.wrap(new byte[] {1}), 0, true))
            .isInstanceOf(StoreException.class);
      }
      assertThat(connects).as("vendor %s region %s", vendorRegion[0], vendorRegion[1])
          .isNotEmpty().allSatisfy(line -> assertThat(line).isEqualTo("CONNECT " + e.getValue() + " HTTP/1.1"));
    }
  }
}
