package io.capstan.notifier.delivery;

import io.capstan.runtime.config.ConfigException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS receivers whose certificate a private CA signed: trust that CA's store instead of the JVM's. */
public final class TrustStores {

  private TrustStores() {
  }

  /** @return null when {@code path} is blank (the JVM's default trust) */
  public static SSLContext fromFile(String path, String password) {
    if (path == null || path.isBlank()) {
      return null;
    }
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (Exception e) {
      throw new ConfigException("notifier.webhook.truststore: cannot load " + path + " (" + e.getClass().getSimpleName()
          + "; check the path and notifier.webhook.truststore.password)");
    }
  }
}
