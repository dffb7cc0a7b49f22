package io.capstan.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.capstan.notifier.envelope.Signatures;
import io.capstan.notifier.support.JobEvents;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecorderStarted;
import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks over HTTPS, to a receiver whose certificate a private CA (here: itself) signed. */
class HttpsWebhookTest {

  private static final String PASSWORD = "changeit";

  @Test
  void deliversOverHttpsWhenTheReceiversCaIsTrustedAndRetriesWhenItIsNot(@TempDir Path dir) throws Exception {
    keytool(dir, "-genkeypair", "-alias", "hook", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", "server.p12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool(dir, "-exportcert", "-alias", "hook", "-keystore", "server.p12", "-storepass", PASSWORD, "-file", "hook.cer");
    keytool(dir, "-importcert", "-noprompt", "-alias", "hook", "-file", "hook.cer", "-storetype", "PKCS12",
        "-keystore", "trust.p12", "-storepass", PASSWORD);

    List<String> signatures = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls(dir.resolve("server.p12"))));
    server.createContext("/hook", exchange -> {
      bodies.add(exchange.getRequestBody().readAllBytes());
      signatures.add(exchange.getRequestHeaders().getFirst("Agora-Signature-V2"));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      Subscriber subscriber = new Subscriber("https://127.0.0.1:" + server.getAddress().getPort() + "/hook",
          "tls-secret", null);
      Notice notice = Notice.newBuilder().setNoticeId("n-1").setSequence(0)
          .setEvent(JobEvents.event("job-tls", JobEvents.T0, RecorderStarted.newBuilder().build())).build();

      WebhookClient trusting = new WebhookClient(Duration.ofSeconds(10), new DestinationPolicy(true), Clock.systemUTC(),
          TrustStores.fromFile(dir.resolve("trust.p12").toString(), PASSWORD));
      assertThat(trusting.send(subscriber, notice).outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
      assertThat(signatures).hasSize(1);
      assertThat(signatures.get(0)).isEqualTo(Signatures.sha256("tls-secret", bodies.get(0)));

      WebhookClient defaultTrust = new WebhookClient(Duration.ofSeconds(10), new DestinationPolicy(true),
          Clock.systemUTC());
      assertThat(defaultTrust.send(subscriber, notice).outcome()).as("an unknown CA is not trusted")
          .isNotEqualTo(Attempt.Outcome.DELIVERED);
      assertThat(bodies).hasSize(1);
    } finally {
      server.stop(0);
    }
  }

  private static SSLContext serverTls(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }

  private static void keytool(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("keytool " + String.join(" ", args) + ": " + output).isZero();
  }
}
