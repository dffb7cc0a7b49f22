package io.capstan.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # user info
      rtsp://admin:hunter2@cam.local:554/stream1 | rtsp://****@cam.local:554/stream1
      https://user:p@ss@host/x                    | https://****@host/x
      https://host/a?x=1@2                        | https://host/a?x=1@2
      # RTMP stream keys: the last segment after the app
      rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl | rtmp://a.rtmp.youtube.com/live2/****
      rtmps://live-api-s.facebook.com:443/rtmp/FB-1-0-AbC | rtmps://live-api-s.facebook.com:443/rtmp/****
      RTMP://host/app/inst/KEY123?token=t0k        | RTMP://host/app/inst/****?token=****
      rtmps://user:pw@host/live/key               | rtmps://****@host/live/****
      rtmp://host/live/key/                       | rtmp://host/live/****/
      rtmp://host/live                            | rtmp://host/live
      rtmp://host/                                | rtmp://host/
      # presigned URLs
      https://b.s3.amazonaws.com/k.ts?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=FQo&X-Amz-Signature=abc123 | https://b.s3.amazonaws.com/k.ts?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=****&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=****&X-Amz-Signature=****
      https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIA&Expires=1&Signature=xyz%3D | https://b.s3.amazonaws.com/k?AWSAccessKeyId=****&Expires=1&Signature=****
      https://b.oss-cn-hangzhou.aliyuncs.com/k?OSSAccessKeyId=LTAI&Expires=1&Signature=q%2B&security-token=CAIS | https://b.oss-cn-hangzhou.aliyuncs.com/k?OSSAccessKeyId=****&Expires=1&Signature=****&security-token=****
      https://acct.blob.core.windows.net/c/k?sv=2022-11-02&se=2026-01-01&sr=b&sp=r&sig=AbC%3D | https://acct.blob.core.windows.net/c/k?sv=2022-11-02&se=2026-01-01&sr=b&sp=r&sig=****
      https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p&X-Goog-Signature=0a1b | https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=****&X-Goog-Signature=****
      https://storage.googleapis.com/b/k?GoogleAccessId=sa@p.iam&Expires=1&Signature=zz | https://storage.googleapis.com/b/k?GoogleAccessId=****&Expires=1&Signature=****
      # tokens, keys and passwords, any case, in the query or the fragment
      https://hook.example/x?Access_Token=a1&keep=1 | https://hook.example/x?Access_Token=****&keep=1
      https://page.example/?TOKEN=a&auth=b&KEY=c&password=d&monkey=e | https://page.example/?TOKEN=****&auth=****&KEY=****&password=****&monkey=e
      https://page.example/app#access_token=a1&state=s | https://page.example/app#access_token=****&state=s
      https://page.example/app?x=1#token=a1       | https://page.example/app?x=1#token=****
      # SRT: the passphrase goes, the streamid stays
      srt://host:9000?mode=caller&passphrase=abcdefghij&latency=200 | srt://host:9000?mode=caller&passphrase=****&latency=200
      srt://host:9000?streamid=#!::r=live,m=publish&passphrase=abcdefghij | srt://host:9000?streamid=#!::r=live,m=publish&passphrase=****
      # nothing secret: unchanged
      https://example.com/page?lang=en            | https://example.com/page?lang=en
      lavfi:sine=frequency=440:sample_rate=48000  | lavfi:sine=frequency=440:sample_rate=48000
      /recordings/a/b.ts                          | /recordings/a/b.ts
      """)
  void urlsLoseTheirCredentials(String url, String redacted) {
    assertThat(Secrets.redactUrl(url)).isEqualTo(redacted);
  }

  @Test
  void textThatQuotesAUrlLosesItsSecretsToo() {
    Map<String, String> texts = Map.of(
        "avformat_open_input() error -5: Could not open input \"rtmp://host/live/sk_live_123\".", "sk_live_123",
        "java.net.ConnectException: https://hook.example/x?token=t0k3n: connection refused", "t0k3n",
        "navigation to https://page.example/?sig=s1gnature failed", "s1gnature",
        "Could not open 'https://b.s3.amazonaws.com/k.ts?X-Amz-Signature=abc123def'", "abc123def");
    texts.forEach((text, secret) ->
        assertThat(Secrets.redactUrl(text)).as(text).doesNotContain(secret).contains("****"));
    assertThat(Secrets.redactUrl("Could not open input \"rtmp://host/live/sk_live_123\". (I/O error)"))
        .isEqualTo("Could not open input \"rtmp://host/live/****\". (I/O error)");
    assertThat(Secrets.redactUrl(null)).isNull();
  }
}
