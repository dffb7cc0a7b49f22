package io.capstan.storage;

import io.capstan.runtime.config.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes the StoreExceptions of one bucket: the user's faults (refused keys or policy, missing
 * bucket, wrong region) as permanent errors saying what to check, everything else as retryable.
 * Any vendor text that goes into a message is redacted first: the job's own keys and tokens, URL
 * credentials and signature parameters are replaced by ****.
 */
public final class StoreFailures {

  private static final Pattern SIGNATURE = Pattern.compile(
      "(?i)((?:x-amz-)?(?:signature|credential|security-token|sig|se|sv|skoid|sktid)=)[^&\\s,\"'<]*");
  private static final Pattern AUTH_HEADER = Pattern.compile("(?i)(authorization[\"']?\\s*[:=]\\s*)[^\\n\"]*");
  private static final int MAX_DETAIL = 200;

  private final String vendorName;
  private final String bucket;
  private final List<String> secrets = new ArrayList<>();

  public StoreFailures(String vendorName, String bucket, String... secrets) {
    this.vendorName = vendorName;
    this.bucket = bucket;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        this.secrets.add(secret);
      }
    }
  }

  public String bucket() {
    return bucket;
  }

  public StoreException accessDenied() {
    return new StoreException(StoreException.Category.ACCESS_DENIED, "storage: access denied for bucket " + bucket
        + " (check accessKey/secretKey and the bucket policy)");
  }

  public StoreException noBucket() {
    return new StoreException(StoreException.Category.NO_BUCKET, "storage: bucket " + bucket
        + " does not exist at " + vendorName + " (check bucket and region)");
  }

  public StoreException wrongRegion(String region) {
    return new StoreException(StoreException.Category.INVALID, "storage: bucket " + bucket + " is not in region '"
        + region + "' of " + vendorName + " (check region)");
  }

  public StoreException notFound(String key) {
    return new StoreException(StoreException.Category.NOT_FOUND, "storage: no file " + key + " in bucket " + bucket);
  }

  public StoreException invalid(String what) {
    return new StoreException(StoreException.Category.INVALID, "storage: " + vendorName + " refused bucket "
        + bucket + ": " + redact(what));
  }

  public StoreException unavailable(String what) {
    return new StoreException(StoreException.Category.UNAVAILABLE, "storage: " + vendorName
        + " is unavailable for bucket " + bucket + ": " + redact(what));
  }

  /** The vendor's text as it may be shown: without this bucket's secrets, signatures or URL credentials. */
  public String redact(String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, "****");
    }
    out = Secrets.redactUrl(out);
    out = SIGNATURE.matcher(out).replaceAll("$1****");
    out = AUTH_HEADER.matcher(out).replaceAll("$1****");
    out = out.replaceAll("\\s+", " ").trim();
    return out.length() > MAX_DETAIL ? out.substring(0, MAX_DETAIL) + "..." : out;
  }

  /** A short description of an exception for a message: its class and redacted text. */
  public String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = Objects.requireNonNullElse(root.getMessage(), "");
    return root.getClass().getSimpleName() + (text.isEmpty() ? "" : " " + redact(text));
  }
}
