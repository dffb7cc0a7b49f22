package io.capstan.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreFailuresTest {

  @Test
  void vendorTextLosesKeysSignaturesAndUrlCredentials() {
    StoreFailures failures = new StoreFailures("Amazon S3", "b", "AKIAEXAMPLE", "s3cr3t/KEY+xyz", null);
    String text = failures.redact("Unable to execute HTTP request to https://user:pw@b.s3.amazonaws.com/a.ts?"
        + "X-Amz-Credential=AKIAEXAMPLE%2F20261124&X-Amz-Signature=abcdef0123 with key s3cr3t/KEY+xyz; "
        + "Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/x, Signature=ffff");
    assertThat(text).doesNotContain("AKIAEXAMPLE", "s3cr3t", "abcdef0123", "user:pw", "ffff")
        .contains("****");
    assertThat(failures.unavailable("x").permanent()).isFalse();
    assertThat(failures.accessDenied().getMessage())
        .isEqualTo("storage: access denied for bucket b (check accessKey/secretKey and the bucket policy)");
  }
}
